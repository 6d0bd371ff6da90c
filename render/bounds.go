package render

import "serverside/mdbounds"

// MaxWidth is the widest a render wraps to. Rendering time and memory grow
// with the width, and no reader follows a line of more than a few hundred
// columns; a wider request gets this many.
const MaxWidth = 200

// minWidth is the narrowest: below it glamour's margins leave no room.
const minWidth = 10

// bounded keeps one render within time and memory whatever md holds: what
// goes past mdbounds.Default is flattened or cut, with a marker, and the
// width is clamped to [minWidth, MaxWidth].
func bounded(md string, width int) (string, int) {
	return mdbounds.Apply(md, mdbounds.Default), min(max(width, minWidth), MaxWidth)
}
