package harness

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/pulumi/pulumi-yaml/pkg/pulumiyaml/syntax"
)

// reporter prints problems as Pulumi prints diagnostics, `file:line:col: severity: message`,
// locating the harness's own findings at the resource or invoke they concern.
type reporter struct {
	file   string
	source []byte
}

func (r reporter) diagnostics(diags syntax.Diagnostics) []string {
	out := make([]string, 0, len(diags))
	for _, d := range diags {
		out = append(out, r.diagnostic(d))
	}
	return out
}

func (r reporter) diagnostic(d *syntax.Diagnostic) string {
	severity := "error"
	if d.Severity == hcl.DiagWarning {
		severity = "warning"
	}
	file, line, col := r.file, 1, 1
	if d.Subject != nil {
		if d.Subject.Filename != "" {
			file = d.Subject.Filename
		}
		line, col = d.Subject.Start.Line, d.Subject.Start.Column
	}
	message := d.Summary
	if d.Detail != "" {
		message += "; " + d.Detail
	}
	return fmt.Sprintf("%s:%d:%d: %s: %s", file, line, col, severity, message)
}

func (r reporter) failure(f failure) string {
	if f.diagnostic != nil {
		return r.diagnostic(f.diagnostic)
	}
	line := 1
	switch {
	case f.resource != "":
		line = r.lineOf("  " + f.resource + ":")
	case f.function != "":
		line = r.lineOf("function: " + shortToken(f.function))
	}
	return fmt.Sprintf("%s:%d:1: error: %s", r.file, line, f.message)
}

// lineOf is the first line containing text (trimmed of its indentation), or 1.
func (r reporter) lineOf(text string) int {
	for i, line := range bytes.Split(r.source, []byte("\n")) {
		if strings.TrimSpace(string(line)) == strings.TrimSpace(text) {
			return i + 1
		}
	}
	return 1
}

// shortToken is how tapgen writes a function token: "aws:index/getRegion:getRegion" → "aws:getRegion".
func shortToken(token string) string {
	parts := strings.Split(token, ":")
	if len(parts) != 3 {
		return token
	}
	module, _, _ := strings.Cut(parts[1], "/")
	if module == "index" {
		return parts[0] + ":" + parts[2]
	}
	return parts[0] + ":" + module + ":" + parts[2]
}
