package debugger

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Batch runs a script of commands, one a line ('#' starts a comment), and
// prints each result: as text under a "(burrow) command" echo, or with
// asJSON as one JSON object a line (JSON Lines). It runs every command
// even after a failure, and returns how many failed. A lost connection
// stops the script.
func Batch(s *Session, r io.Reader, w io.Writer, asJSON bool) (failed int, err error) {
	sc := bufio.NewScanner(r)
	enc := json.NewEncoder(w)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		res := s.Exec(line)
		if !res.OK {
			failed++
		}
		if asJSON {
			if err := enc.Encode(res); err != nil {
				return failed, err
			}
		} else {
			fmt.Fprintf(w, "(burrow) %s\n", line)
			if res.Text != "" {
				fmt.Fprint(w, res.Text)
				if !strings.HasSuffix(res.Text, "\n") {
					fmt.Fprintln(w)
				}
			}
			if res.Error != "" {
				fmt.Fprintf(w, "error: %s\n", res.Error)
			}
		}
		if !res.OK && strings.Contains(res.Error, "connection to the target lost") {
			return failed, fmt.Errorf("debugger: stopping the script: %s", res.Error)
		}
	}
	return failed, sc.Err()
}
