package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/topoforge/topoforge/detectcli"
	"github.com/topoforge/topoforge/tdajson"
)

// tdaCmd runs `topoforge tda < input.json > output.json`: exit 2 for bad input, 1 for I/O.
func tdaCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintln(stderr, "usage: topoforge tda < input.json > output.json")
		return 2
	}
	if err := tdajson.Run(stdin, stdout); err != nil {
		fmt.Fprintln(stderr, "topoforge tda:", err)
		var ie *tdajson.InputError
		if errors.As(err, &ie) {
			return 2
		}
		return 1
	}
	return 0
}

// detectCmd runs `topoforge detect -algorithm NAME [-param k=v ...] FILE.csv`.
func detectCmd(args []string, stdout, stderr io.Writer) int {
	return detectcli.Run(args, stdout, stderr)
}
