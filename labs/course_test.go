package labs

import (
	"strings"
	"testing"

	"serverside/lessons"
)

// The built-in course's lab blocks must stay valid as scenarios, tasks and
// build labs change here, and a lesson that embeds a build lab must carry
// the lab's specification as this package states it.
func TestCourseLabBlocks(t *testing.T) {
	t.Parallel()
	course, _ := lessons.Default()
	kinds := map[string]int{}
	for _, l := range course.Lessons() {
		for _, lab := range l.Labs {
			kinds[lab.Kind]++
			for _, p := range Validate(course.DisplayPath(l.Path), lab) {
				t.Errorf("%s", p)
			}
			if lab.Kind != KindBuild {
				continue
			}
			spec, err := DecodeBuild(lab)
			if err != nil {
				continue
			}
			b, _ := FindBuildLab(spec.Lab)
			for _, line := range strings.Split(b.Spec, "\n") {
				if strings.HasPrefix(line, "| `") && !strings.Contains(l.Source, line) {
					t.Errorf("%s: the lesson's specification of %s lacks this row (copy it from `serverside check %s --spec`):\n%s", l.Path, b.ID, b.ID, line)
				}
			}
		}
	}
	for _, k := range []string{KindHTTP, KindSQL, KindBuild} {
		if kinds[k] == 0 {
			t.Errorf("the course has no %s lab", k)
		}
	}
}
