package server

import (
	"context"

	"serverside/lessons"
	"serverside/tui"
	"serverside/watch"
)

// FixedCourse is a course that never changes (the built-in one), as a
// tui.CourseSource: every session reads the same value.
func FixedCourse(c *lessons.Course) tui.CourseSource { return fixedCourse{watch.Update{Course: c}} }

type fixedCourse struct{ u watch.Update }

func (f fixedCourse) Current() watch.Update { return f.u }

// Subscribe hands out no update, ever; the channel closes with ctx.
func (f fixedCourse) Subscribe(ctx context.Context) <-chan watch.Update {
	ch := make(chan watch.Update)
	context.AfterFunc(ctx, func() { close(ch) })
	return ch
}
