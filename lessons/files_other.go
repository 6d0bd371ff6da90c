//go:build !unix

package lessons

const openNonblock = 0
