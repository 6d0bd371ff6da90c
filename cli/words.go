package cli

import "fmt"

// count says n things in words: "1 lesson", "2 lessons".
func count(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
