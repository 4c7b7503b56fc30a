package main

import (
	"encoding/json"
	"os"
	"sync"

	"google.golang.org/protobuf/types/known/structpb"
)

// call is one line of the log: what the engine asked and what the provider answered.
type call struct {
	Provider string         `json:"provider"`
	Method   string         `json:"method"`
	URN      string         `json:"urn,omitempty"`
	ID       string         `json:"id,omitempty"`
	Token    string         `json:"token,omitempty"`
	Preview  bool           `json:"preview,omitempty"`
	Inputs   map[string]any `json:"inputs,omitempty"`
	Olds     map[string]any `json:"olds,omitempty"`
	Outputs  map[string]any `json:"outputs,omitempty"`
	Changes  []string       `json:"changes,omitempty"`
	Replaces []string       `json:"replaces,omitempty"`
}

// recorder appends calls as JSON lines to one file that both provider processes share
// (O_APPEND, one write per line).
type recorder struct {
	pkg  string
	mu   sync.Mutex
	file *os.File
}

func openRecorder(path, pkg string) (*recorder, error) {
	r := &recorder{pkg: pkg}
	if path == "" {
		return r, nil
	}
	file, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	r.file = file
	return r, nil
}

func (r *recorder) log(c call) {
	if r.file == nil {
		return
	}
	c.Provider = r.pkg
	line, err := json.Marshal(c)
	if err != nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	_, _ = r.file.Write(append(line, '\n'))
}

func (r *recorder) close() {
	if r.file != nil {
		_ = r.file.Close()
	}
}

// plain is a wire struct as JSON, with Pulumi's secret and unknown markers left visible.
func plain(s *structpb.Struct) map[string]any {
	if s == nil {
		return nil
	}
	return s.AsMap()
}
