package coursecache

import (
	"flag"
	"os"
	"reflect"
	"strings"
	"testing"

	"serverside/lessons"
)

var update = flag.Bool("update", false, "make course.bin again from the embedded lesson files")

// course.bin is the embedded lesson files, parsed: when a lesson changes,
// this fails until it is made again (go generate ./coursecache).
func TestEmbeddedCourseIsCurrent(t *testing.T) {
	want := generate()
	if want == nil {
		t.Fatal("the built-in course has a broken lesson: `go run . lint` says which")
	}
	if *update {
		if err := os.WriteFile("course.bin", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if embedded != string(want) {
		t.Fatalf("course.bin (%d bytes) is not the parse of the embedded lessons (%d bytes): run `go generate ./coursecache`", len(embedded), len(want))
	}
}

// The course from course.bin is the parsed course, field for field.
func TestEmbeddedCourseIsTheParsedOne(t *testing.T) {
	want, wantProbs := lessons.Default()
	got, probs, ok := fromBin(embedded)
	if !ok {
		t.Fatal("course.bin was not used: run `go generate ./coursecache`")
	}
	if len(got.Lessons()) != len(want.Lessons()) || got.Title != want.Title {
		t.Fatalf("%d lessons, want %d", len(got.Lessons()), len(want.Lessons()))
	}
	for i, l := range got.Lessons() {
		w := want.Lessons()[i]
		if !reflect.DeepEqual(l.Questions, w.Questions) || l.Body != w.Body || l.Title != w.Title || l.Source != w.Source ||
			l.Summary != w.Summary || l.Minutes != w.Minutes || l.Module != w.Module || l.Path != w.Path ||
			!reflect.DeepEqual(l.Links, w.Links) || !reflect.DeepEqual(l.Headings, w.Headings) || !reflect.DeepEqual(l.Labs, w.Labs) {
			t.Fatalf("lesson %s differs from the parsed one", l.ID)
		}
	}
	if !reflect.DeepEqual(probs, wantProbs) && !(len(probs) == 0 && len(wantProbs) == 0) {
		t.Errorf("problems %v, want %v", probs, wantProbs)
	}
}

// A course.bin made from other lesson files, or damaged, is parsed
// around, never trusted.
func TestStaleOrDamagedBinIsParsedAround(t *testing.T) {
	k, body := split(embedded)
	for name, bin := range map[string]string{
		"another course":  strings.Repeat("0", len(k)) + "\n" + body,
		"damaged":         k + "\n" + body[:len(body)/2],
		"no key line":     body,
		"empty":           "",
		"not this format": k + "\nGOB",
	} {
		if _, _, ok := fromBin(bin); ok {
			t.Errorf("%s: decoded", name)
		}
	}
	if _, _, ok := fromBin(embedded); !ok {
		t.Fatal("the real course.bin was not used")
	}
}

// The key changes with the shape of the types: a new field in a Question
// must not decode from an old file as its zero value.
func TestKeyFollowsTypeShape(t *testing.T) {
	type q1 struct{ ID string }
	type q2 struct {
		ID   string
		Hint string
	}
	if typeShape(reflect.TypeOf(q1{})) == typeShape(reflect.TypeOf(q2{})) {
		t.Fatal("a new field leaves the shape unchanged")
	}
	s := typeShape(reflect.TypeOf(entry{}))
	for _, want := range []string{"Questions:", "Prompt:string", "Hints:slice string"} {
		if !strings.Contains(s, want) {
			t.Errorf("shape lacks %q: %.300s", want, s)
		}
	}
}

// Every exported field of every type the cache holds survives a round
// trip: a field added to a Question (or anywhere in a course) and not to
// the codec fails here, rather than reading back as its zero value.
func TestCodecCoversEveryField(t *testing.T) {
	var e entry
	fillAll(reflect.ValueOf(&e).Elem(), 1)
	// What the file does not keep, because cacheable refuses a course
	// that has it: errors are not data.
	e.Course.Broken = nil
	for _, l := range e.Course.Lessons() {
		l.Stale = nil
	}
	c, probs, err := decode(string(encode(e.Course, e.Problems)))
	if err != nil {
		t.Fatal(err)
	}
	got := entry{c, probs}
	if !reflect.DeepEqual(got, e) {
		t.Fatalf("round trip lost a field:\n got %+v\nwant %+v", got.Course.Modules[0].Lessons[0], e.Course.Modules[0].Lessons[0])
	}
}

// fillAll sets every exported field under v to a value that is not its
// zero value (slices get two elements, so order counts too).
func fillAll(v reflect.Value, seed int) {
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillAll(v.Elem(), seed)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillAll(v.Field(i), seed*31+i+1)
			}
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		fillAll(v.Index(0), seed*7+1)
		fillAll(v.Index(1), seed*7+2)
	case reflect.String:
		v.SetString("s" + strings.Repeat("x", seed%5) + string(rune('a'+seed%26)))
	case reflect.Int:
		v.SetInt(int64(seed%1000 - 300))
	case reflect.Float64:
		v.SetFloat(float64(seed) / 8)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Interface:
		// error fields (Stale, Err): left nil; see the caller
	default:
		panic("fillAll: no value for " + v.Type().String())
	}
}

// A cache file is outside data: any cut or changed byte of a real one
// decodes to an error or a course, never a panic.
func TestDecodeDamagedFiles(t *testing.T) {
	c, probs := lessons.Default()
	data := encode(c, probs)
	if _, _, err := decode(string(data)); err != nil {
		t.Fatal(err)
	}
	for n := 0; n < len(data); n += 1 + n/50 {
		if _, _, err := decode(string(data[:n])); err == nil {
			t.Fatalf("a file cut at %d of %d bytes decoded", n, len(data))
		}
	}
	for i := len(magic); i < len(data); i += 4001 {
		b := append([]byte(nil), data...)
		b[i] ^= 0xff
		decode(string(b)) // must not panic
	}
	if _, _, err := decode(string(data) + "x"); err == nil {
		t.Fatal("a file with bytes after the course decoded")
	}
}

func FuzzDecode(f *testing.F) {
	c, probs := lessons.Default()
	f.Add(string(encode(c, probs))[:4096])
	f.Add(magic + "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01")
	f.Fuzz(func(t *testing.T, s string) {
		decode(s)
		decode(magic + s)
	})
}

// What Prefetch loads is taken by the next Default, once: each caller
// gets a course of its own, never one another caller holds.
func TestPrefetchIsTakenOnce(t *testing.T) {
	Prefetch()
	a, _ := Default()
	b, _ := Default()
	if a == b || a.Lessons()[0] == b.Lessons()[0] {
		t.Fatal("two calls of Default share a course")
	}
	if len(a.Lessons()) != len(b.Lessons()) || a.Lessons()[0].Body != b.Lessons()[0].Body {
		t.Fatal("the prefetched course is not the course")
	}
}
