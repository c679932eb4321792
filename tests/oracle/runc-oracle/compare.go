// SPDX-License-Identifier: Apache-2.0
package main

// Comparing runc's facts with confine's. Both sides print the schema of
// facts.go; the comparison walks runc's side and looks each fact up in
// confine's. A fact that confine's tool does not print (because oci/spec.h
// does not type it yet) is "uncompared", and the caller decides whether
// that is expected; a fact that differs is a divergence.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

func generic(v interface{}) (interface{}, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return parseGeneric(b)
}

func parseGeneric(b []byte) (interface{}, error) {
	var out interface{}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(&out); err != nil {
		return nil, err
	}
	return out, nil
}

var indexRe = regexp.MustCompile(`\[[0-9]+\]`)

type comparison struct {
	diffs      []string
	unresolved int
	uncompared map[string]bool // schema paths, indices as []
}

func (c *comparison) walk(path string, runc, conf interface{}) {
	switch r := runc.(type) {
	case map[string]interface{}:
		m, ok := conf.(map[string]interface{})
		if !ok {
			c.diffs = append(c.diffs, fmt.Sprintf("%s: runc %s, confine %s", path, show(runc), show(conf)))
			return
		}
		keys := make([]string, 0, len(r))
		for k := range r {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := k
			if path != "" {
				p = path + "." + k
			}
			// Annotation and sysctl keys are data, not schema.
			cv, ok := m[k]
			if !ok {
				if isMapPath(path) {
					c.diffs = append(c.diffs, fmt.Sprintf("%s: runc %s, confine has no such key", p, show(r[k])))
				} else {
					c.uncompared[indexRe.ReplaceAllString(p, "[]")] = true
				}
				continue
			}
			c.walk(p, r[k], cv)
		}
		for k := range m {
			if _, ok := r[k]; !ok {
				c.diffs = append(c.diffs, fmt.Sprintf("%s.%s: confine %s, runc has no such key", path, k, show(m[k])))
			}
		}
	case []interface{}:
		a, ok := conf.([]interface{})
		if !ok || len(a) != len(r) {
			c.diffs = append(c.diffs, fmt.Sprintf("%s: runc %s, confine %s", path, show(runc), show(conf)))
			return
		}
		for i := range r {
			c.walk(fmt.Sprintf("%s[%d]", path, i), r[i], a[i])
		}
	default:
		// A host path confine's resolver will not resolve is refused by
		// the rule that asked: not a divergence.
		if s, ok := conf.(string); ok && strings.HasPrefix(path, "applied.") && strings.HasPrefix(s, "!") {
			c.unresolved++
			return
		}
		if show(runc) != show(conf) {
			c.diffs = append(c.diffs, fmt.Sprintf("%s: runc %s, confine %s", path, show(runc), show(conf)))
		}
	}
}

func isMapPath(path string) bool {
	return path == "annotations" || path == "sysctl"
}

func show(v interface{}) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	s := string(b)
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

// compareFacts returns the divergences and the facts confine does not print.
func compareFacts(runc interface{}, conf interface{}) ([]string, map[string]bool, error) {
	r, err := generic(runc)
	if err != nil {
		return nil, nil, err
	}
	c := &comparison{uncompared: map[string]bool{}}
	c.walk("", r, conf)
	return c.diffs, c.uncompared, nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// pendingMatch reports whether PATH is covered by a pending pattern: a
// pattern covers itself and everything below it.
func pendingMatch(path string, pending []string) bool {
	for _, p := range pending {
		if path == p || strings.HasPrefix(path, p+".") || strings.HasPrefix(path, p+"[") {
			return true
		}
	}
	return false
}

func mustJSON(v interface{}) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
