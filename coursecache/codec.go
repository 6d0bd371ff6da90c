package coursecache

import (
	"encoding/binary"
	"errors"
	"math"

	"serverside/lessons"
)

// The cache file's format is written here by hand, on purpose, rather than
// with encoding/gob: the course is decoded on every start, on the way to
// the first frame, and gob took 10–18 ms of a cold start for it (reflection,
// a decoder compiled per type, and a fresh allocation for each of its
// thousands of strings), plus 1.4 ms of package init in every run of the
// binary. Here the whole file is read into one string and every string of
// the course is a slice of it: decoding allocates the structs and the
// slices that hold them, nothing else.
//
// The format is a sequence of fields in a fixed order: integers as
// varints, floats as their 8 bytes, strings and lists as a length and then
// their contents. The lessons' bodies and sources, most of the bytes, are
// not in that sequence but after it, named by offset and length: decoding
// reads the sequence, and the pages of text nobody opens are not touched. There is no field tagging: the file's name carries the
// shape of the types (see key), and TestCodecCoversEveryField fails when a
// field is added to a type and not here.

// magic starts every cache file: a file of another format (an older
// version's gob) is told apart at once.
const magic = "serverside course cache 4\n"

var errCorrupt = errors.New("course cache: corrupt file")

type encoder struct {
	b   []byte
	big []byte // the large strings, after the sequence
}

func (e *encoder) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) int(v int)     { e.b = binary.AppendVarint(e.b, int64(v)) }
func (e *encoder) str(s string)  { e.uint(uint64(len(s))); e.b = append(e.b, s...) }
func (e *encoder) bigStr(s string) {
	e.uint(uint64(len(e.big)))
	e.uint(uint64(len(s)))
	e.big = append(e.big, s...)
}
func (e *encoder) f64(f float64) { e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(f)) }
func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

// encodeList writes xs as its length and then each element, by one.
func encodeList[T any](e *encoder, xs []T, one func(T)) {
	e.uint(uint64(len(xs)))
	for _, x := range xs {
		one(x)
	}
}

func (e *encoder) strs(ss []string) { encodeList(e, ss, e.str) }
func (e *encoder) ints(is []int)    { encodeList(e, is, e.int) }

// encode writes e's course and problems. The course must hold nothing the
// format cannot keep: no broken lessons and no stale ones (their errors
// are not data), which write checks.
func encode(c *lessons.Course, probs []lessons.Problem) []byte {
	e := &encoder{b: make([]byte, 0, 1<<18), big: make([]byte, 0, 2<<20)}
	e.str(c.Title)
	e.str(c.Root)
	e.str(c.Display)
	e.uint(uint64(len(c.Modules)))
	for _, m := range c.Modules {
		e.str(m.ID)
		e.str(m.Title)
		e.str(m.Summary)
		e.uint(uint64(len(m.Lessons)))
		for _, l := range m.Lessons {
			e.lesson(l)
		}
	}
	encodeList(e, probs, func(p lessons.Problem) {
		e.str(p.Path)
		e.int(p.Line)
		e.int(p.Col)
		e.str(string(p.Severity))
		e.str(p.Message)
		e.bool(p.Shown)
	})
	out := binary.AppendUvarint([]byte(magic), uint64(len(e.b)))
	out = binary.AppendUvarint(out, uint64(len(e.big)))
	return append(append(out, e.b...), e.big...)
}

func (e *encoder) lesson(l *lessons.Lesson) {
	e.str(l.ID)
	e.str(l.Title)
	e.str(l.Summary)
	e.int(l.Minutes)
	e.str(l.Module)
	e.str(l.Path)
	e.bigStr(l.Body)
	e.bigStr(l.Source)
	e.uint(uint64(len(l.Questions)))
	for _, q := range l.Questions {
		e.str(q.ID)
		e.str(string(q.Type))
		e.str(q.Prompt)
		e.strs(q.Choices)
		e.ints(q.Correct)
		e.bool(q.Bool)
		e.strs(q.Accepted)
		e.str(q.Pattern)
		e.f64(q.Number)
		e.f64(q.Tolerance)
		e.bool(q.Relative)
		e.str(q.Unit)
		e.strs(q.Items)
		e.str(q.Explain)
		e.strs(q.Hints)
		e.strs(q.Refs)
		e.int(q.Offset)
		e.int(q.Line)
		e.str(q.Hash)
	}
	e.uint(uint64(len(l.Labs)))
	for _, lab := range l.Labs {
		e.str(lab.ID)
		e.str(lab.Kind)
		e.str(lab.Title)
		e.int(lab.Offset)
		e.int(lab.Line)
		e.str(lab.Raw)
	}
	encodeList(e, l.Links, func(k lessons.Link) {
		e.str(k.Target)
		e.str(k.Path)
		e.int(k.Line)
		e.int(k.Col)
	})
	encodeList(e, l.Headings, func(h lessons.Heading) {
		e.int(h.Level)
		e.str(h.Text)
		e.int(h.Offset)
	})
}

// decoder reads a course.bin held in src. It is embedded, but it is still a
// file a hand edit or a bad merge can damage, and the binary must then
// parse the course instead of crashing: every length is checked against
// what is left, so a damaged file is an error, never a panic or a huge
// allocation.
type decoder struct {
	src string // the sequence
	big string // the large strings after it
	pos int
	err error
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errCorrupt
	}
	d.pos = len(d.src)
}

func (d *decoder) uint() uint64 {
	var v uint64
	for shift := uint(0); ; shift += 7 {
		if d.pos >= len(d.src) || shift > 63 {
			d.fail()
			return 0
		}
		c := d.src[d.pos]
		d.pos++
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v
		}
	}
}

func (d *decoder) int() int {
	u := d.uint()
	v := int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	return int(v)
}

// n is a count of things that each take at least min bytes: it cannot be
// more than the bytes left could hold.
func (d *decoder) n(min int) int {
	v := d.uint()
	if v > uint64(len(d.src)-d.pos)/uint64(min) {
		d.fail()
		return 0
	}
	return int(v)
}

func (d *decoder) str() string {
	n := d.n(1)
	s := d.src[d.pos : d.pos+n]
	d.pos += n
	return s
}

func (d *decoder) bigStr() string {
	off, n := d.uint(), d.uint()
	if off > uint64(len(d.big)) || n > uint64(len(d.big))-off {
		d.fail()
		return ""
	}
	return d.big[off : off+n]
}

func (d *decoder) f64() float64 {
	if len(d.src)-d.pos < 8 {
		d.fail()
		return 0
	}
	var v uint64
	for i := 7; i >= 0; i-- {
		v = v<<8 | uint64(d.src[d.pos+i])
	}
	d.pos += 8
	return math.Float64frombits(v)
}

func (d *decoder) bool() bool {
	if d.pos >= len(d.src) || d.src[d.pos] > 1 {
		d.fail()
		return false
	}
	d.pos++
	return d.src[d.pos-1] == 1
}

// decodeList reads a list written by encodeList, each element by one; an
// element takes at least min bytes (see n). An empty list is nil, as gob
// gave it.
func decodeList[T any](d *decoder, min int, one func() T) []T {
	n := d.n(min)
	if n == 0 {
		return nil
	}
	xs := make([]T, n)
	for i := range xs {
		xs[i] = one()
	}
	return xs
}

func (d *decoder) strs() []string { return decodeList(d, 1, d.str) }
func (d *decoder) ints() []int    { return decodeList(d, 1, d.int) }

// decode reads a course written by encode from src, whose strings it
// shares.
func decode(src string) (*lessons.Course, []lessons.Problem, error) {
	if len(src) < len(magic) || src[:len(magic)] != magic {
		return nil, nil, errCorrupt
	}
	head := &decoder{src: src, pos: len(magic)}
	n, nbig := head.uint(), head.uint()
	if head.err != nil || n > uint64(len(src)-head.pos) || nbig != uint64(len(src)-head.pos)-n {
		return nil, nil, errCorrupt // cut short, or bytes after the course
	}
	end := head.pos + int(n)
	d := &decoder{src: src[:end], big: src[end:], pos: head.pos}
	c := &lessons.Course{Title: d.str(), Root: d.str(), Display: d.str()}
	c.Modules = decodeList(d, 4, func() *lessons.Module {
		m := &lessons.Module{ID: d.str(), Title: d.str(), Summary: d.str()}
		m.Lessons = decodeList(d, 12, d.lesson)
		return m
	})
	probs := decodeList(d, 6, func() lessons.Problem {
		return lessons.Problem{Path: d.str(), Line: d.int(), Col: d.int(),
			Severity: lessons.Severity(d.str()), Message: d.str(), Shown: d.bool()}
	})
	if d.err == nil && d.pos != len(d.src) {
		d.fail() // bytes left over: not a file this wrote
	}
	if d.err != nil {
		return nil, nil, d.err
	}
	return c, probs, nil
}

func (d *decoder) lesson() *lessons.Lesson {
	l := &lessons.Lesson{ID: d.str(), Title: d.str(), Summary: d.str(), Minutes: d.int(),
		Module: d.str(), Path: d.str(), Body: d.bigStr(), Source: d.bigStr()}
	if nq := d.n(30); nq > 0 {
		// One allocation for the lesson's questions, pointed into.
		qs := make([]lessons.Question, nq)
		l.Questions = make([]*lessons.Question, nq)
		for i := range qs {
			q := &qs[i]
			q.ID = d.str()
			q.Type = lessons.QuestionType(d.str())
			q.Prompt = d.str()
			q.Choices = d.strs()
			q.Correct = d.ints()
			q.Bool = d.bool()
			q.Accepted = d.strs()
			q.Pattern = d.str()
			q.Number = d.f64()
			q.Tolerance = d.f64()
			q.Relative = d.bool()
			q.Unit = d.str()
			q.Items = d.strs()
			q.Explain = d.str()
			q.Hints = d.strs()
			q.Refs = d.strs()
			q.Offset = d.int()
			q.Line = d.int()
			q.Hash = d.str()
			l.Questions[i] = q
		}
	}
	if nl := d.n(6); nl > 0 {
		labs := make([]lessons.Lab, nl)
		l.Labs = make([]*lessons.Lab, nl)
		for i := range labs {
			labs[i] = lessons.Lab{ID: d.str(), Kind: d.str(), Title: d.str(), Offset: d.int(), Line: d.int(), Raw: d.str()}
			l.Labs[i] = &labs[i]
		}
	}
	l.Links = decodeList(d, 4, func() lessons.Link {
		return lessons.Link{Target: d.str(), Path: d.str(), Line: d.int(), Col: d.int()}
	})
	l.Headings = decodeList(d, 3, func() lessons.Heading {
		return lessons.Heading{Level: d.int(), Text: d.str(), Offset: d.int()}
	})
	return l
}
