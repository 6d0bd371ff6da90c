package render

// MaxWidth is the widest a render wraps to. Rendering time and memory grow
// with the width, and no reader follows a line of more than a few hundred
// columns; a wider request gets this many.
const MaxWidth = 200

// clampWidth keeps a requested width within [10, MaxWidth]. The
// document's own bounds (lessons.DefaultLimits) are applied in layout,
// under every render.
func clampWidth(width int) int { return min(max(width, 10), MaxWidth) }
