package lessons

import (
	"net/url"
	"path"
	"strings"
)

// ResolveLink says where a link or image destination written in lesson l
// points: to a lesson of the course (lesson is set), or to a file of the
// course (file is its slash path relative to the course root). Both are
// empty for a URL, an anchor in the page, an absolute path, or a path
// that leaves the course.
func (c *Course) ResolveLink(l *Lesson, dest string) (lesson *Lesson, file string) {
	if dest == "" || strings.HasPrefix(dest, "#") || strings.HasPrefix(dest, "/") || strings.Contains(dest, "://") {
		return nil, ""
	}
	if u, err := url.Parse(dest); err != nil || u.Scheme != "" || u.Host != "" {
		return nil, ""
	}
	target, _, _ := strings.Cut(dest, "#")
	target, _, _ = strings.Cut(target, "?")
	if t, err := url.PathUnescape(target); err == nil {
		target = t
	}
	if target == "" {
		return nil, ""
	}
	p := path.Clean(path.Join(path.Dir(l.Path), target))
	if p == ".." || strings.HasPrefix(p, "../") {
		return nil, ""
	}
	if strings.HasSuffix(p, ".md") {
		if t := c.LessonAt(p); t != nil {
			return t, p
		}
	}
	return nil, p
}
