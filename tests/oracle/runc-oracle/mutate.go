// SPDX-License-Identifier: Apache-2.0
package main

// A deterministic generator of hostile config.json variants (standard
// library only). Seeds are parsed into an ordered tree that keeps
// duplicate keys and the exact text of numbers, mutated where Go's
// decoder and a C reader could disagree, and written back as bytes that
// may be invalid on purpose.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"strconv"
	"strings"
	"unicode/utf8"
)

type kind int

const (
	kNull kind = iota
	kBool
	kNumber
	kString
	kObject
	kArray
	kRaw // text written as is: invalid UTF-8, odd escapes
)

type member struct {
	key    string
	rawKey string // when set, the key's exact JSON text
	val    *jnode
}

type jnode struct {
	k       kind
	b       bool
	text    string // string value, number text, raw text
	members []member
	elems   []*jnode
}

func parseTree(doc []byte) (*jnode, error) {
	d := json.NewDecoder(bytes.NewReader(doc))
	d.UseNumber()
	n, err := parseValue(d)
	if err != nil {
		return nil, err
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, errors.New("trailing data after the seed document")
	}
	return n, nil
}

func parseValue(d *json.Decoder) (*jnode, error) {
	t, err := d.Token()
	if err != nil {
		return nil, err
	}
	return fromToken(d, t)
}

func fromToken(d *json.Decoder, t json.Token) (*jnode, error) {
	switch v := t.(type) {
	case nil:
		return &jnode{k: kNull}, nil
	case bool:
		return &jnode{k: kBool, b: v}, nil
	case json.Number:
		return &jnode{k: kNumber, text: string(v)}, nil
	case string:
		return &jnode{k: kString, text: v}, nil
	case json.Delim:
		if v == '{' {
			n := &jnode{k: kObject}
			for d.More() {
				kt, err := d.Token()
				if err != nil {
					return nil, err
				}
				val, err := parseValue(d)
				if err != nil {
					return nil, err
				}
				n.members = append(n.members, member{key: kt.(string), val: val})
			}
			_, err := d.Token()
			return n, err
		}
		n := &jnode{k: kArray}
		for d.More() {
			val, err := parseValue(d)
			if err != nil {
				return nil, err
			}
			n.elems = append(n.elems, val)
		}
		_, err := d.Token()
		return n, err
	}
	return nil, fmt.Errorf("unexpected token %v", t)
}

func quote(s string) string {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	_ = e.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

func (n *jnode) write(b *bytes.Buffer) {
	switch n.k {
	case kNull:
		b.WriteString("null")
	case kBool:
		b.WriteString(strconv.FormatBool(n.b))
	case kNumber, kRaw:
		b.WriteString(n.text)
	case kString:
		b.WriteString(quote(n.text))
	case kObject:
		b.WriteByte('{')
		for i, m := range n.members {
			if i > 0 {
				b.WriteByte(',')
			}
			if m.rawKey != "" {
				b.WriteString(m.rawKey)
			} else {
				b.WriteString(quote(m.key))
			}
			b.WriteByte(':')
			m.val.write(b)
		}
		b.WriteByte('}')
	case kArray:
		b.WriteByte('[')
		for i, e := range n.elems {
			if i > 0 {
				b.WriteByte(',')
			}
			e.write(b)
		}
		b.WriteByte(']')
	}
}

func (n *jnode) bytes() []byte {
	var b bytes.Buffer
	n.write(&b)
	return b.Bytes()
}

func (n *jnode) clone() *jnode {
	c := &jnode{k: n.k, b: n.b, text: n.text}
	for _, m := range n.members {
		c.members = append(c.members, member{m.key, m.rawKey, m.val.clone()})
	}
	for _, e := range n.elems {
		c.elems = append(c.elems, e.clone())
	}
	return c
}

func mustTree(s string) *jnode {
	n, err := parseTree([]byte(s))
	if err != nil {
		panic(fmt.Sprintf("bad catalogue entry %s: %v", s, err))
	}
	return n
}

// ---- where to mutate ----

// slot is a place in the tree: a member of an object or an element of an
// array, with the path that leads to it (keys only, for biasing).
type slot struct {
	parent *jnode
	index  int
	path   string
}

func (s slot) get() *jnode {
	if s.parent.k == kObject {
		return s.parent.members[s.index].val
	}
	return s.parent.elems[s.index]
}

func (s slot) set(v *jnode) {
	if s.parent.k == kObject {
		s.parent.members[s.index].val = v
	} else {
		s.parent.elems[s.index] = v
	}
}

func collect(n *jnode, path string, out *[]slot) {
	switch n.k {
	case kObject:
		for i, m := range n.members {
			p := path + "." + m.key
			*out = append(*out, slot{n, i, p})
			collect(m.val, p, out)
		}
	case kArray:
		for i, e := range n.elems {
			p := path + "[]"
			*out = append(*out, slot{n, i, p})
			collect(e, p, out)
		}
	}
}

func objects(n *jnode, out *[]*jnode) {
	switch n.k {
	case kObject:
		*out = append(*out, n)
		for _, m := range n.members {
			objects(m.val, out)
		}
	case kArray:
		for _, e := range n.elems {
			objects(e, out)
		}
	}
}

// ---- the catalogue: every field of the runtime spec that runc reads,
// with values that matter to a gate ----

type insertion struct {
	path []string // object keys from the root; created when missing
	val  string
}

var catalogue = []insertion{
	{[]string{"ociVersion"}, `"1.0.2-dev"`},
	{[]string{"hostname"}, `"h"`},
	{[]string{"domainname"}, `"d"`},
	{[]string{"root"}, `{"path":"rootfs","readonly":true}`},
	{[]string{"root"}, `{"path":"/","readonly":false}`},
	{[]string{"root", "path"}, `"/etc"`},
	{[]string{"root", "path"}, `"rootfs/../.."`},
	{[]string{"root", "readonly"}, `false`},
	{[]string{"process", "cwd"}, `"/proc/self/fd/7"`},
	{[]string{"process", "cwd"}, `"relative"`},
	{[]string{"process", "args"}, `["sh","-c","id"]`},
	{[]string{"process", "env"}, `["PATH=/bin"]`},
	{[]string{"process", "terminal"}, `true`},
	{[]string{"process", "consoleSize"}, `{"height":24,"width":80}`},
	{[]string{"process", "user"}, `{"uid":0,"gid":0,"umask":18,"additionalGids":[0,4]}`},
	{[]string{"process", "capabilities"}, `{"bounding":["CAP_SYS_ADMIN"],"effective":["CAP_SYS_ADMIN"],"inheritable":["CAP_SYS_ADMIN"],"permitted":["CAP_SYS_ADMIN"],"ambient":["CAP_SYS_ADMIN"]}`},
	{[]string{"process", "capabilities"}, `{}`},
	{[]string{"process", "capabilities", "bounding"}, `["CAP_SYS_MODULE","CAP_CHOWN"]`},
	{[]string{"process", "capabilities", "ambient"}, `["CAP_NET_ADMIN"]`},
	{[]string{"process", "rlimits"}, `[{"type":"RLIMIT_NOFILE","hard":1024,"soft":1024}]`},
	{[]string{"process", "noNewPrivileges"}, `false`},
	{[]string{"process", "noNewPrivileges"}, `true`},
	{[]string{"process", "apparmorProfile"}, `"unconfined"`},
	{[]string{"process", "apparmorProfile"}, `""`},
	{[]string{"process", "oomScoreAdj"}, `-1000`},
	{[]string{"process", "selinuxLabel"}, `""`},
	{[]string{"mounts"}, `[{"destination":"/host","type":"bind","source":"/","options":["rbind","rw"]}]`},
	{[]string{"mounts"}, `[{"destination":"/proc","type":"proc","source":"proc"},{"destination":"/sys","type":"sysfs","source":"sysfs","options":["rw"]}]`},
	{[]string{"mounts"}, `[{"destination":"/x","source":"relative/dir","options":["bind"],"uidMappings":[{"containerID":0,"hostID":0,"size":1}]}]`},
	{[]string{"mounts"}, `[{"destination":"/a","type":"bind","source":"link-etc/shadow","options":["rbind"]},{"destination":"/b","source":"dangling/sub","options":["bind"]},{"destination":"/c","source":"rel-up/etc","options":["bind"]}]`},
	{[]string{"mounts"}, `[{"destination":"/a","source":"loop/x","options":["bind"]},{"destination":"/b","source":"file/x","options":["bind"]},{"destination":"/c","source":"rootlink/../link-etc","options":["bind"]},{"destination":"/d","source":"link-etc/../passwd","options":["bind"]}]`},
	{[]string{"mounts"}, `[{"destination":"/a","source":"/proc/self/root/etc","options":["bind"]},{"destination":"/b","source":"//etc//passwd/","options":["bind"]},{"destination":"/c","source":"/etc/../../var/run/docker.sock","options":["bind"]},{"destination":"/d","source":"sock","options":["bind"]},{"destination":"/e","source":"","options":["bind"]}]`},
	{[]string{"mounts"}, `[{"destination":"/a","source":"/lib/../etc","options":["bind"]},{"destination":"/b","source":"/var/run/../run","options":["bind"]},{"destination":"/c","source":"data/./../data/","options":["rbind"]}]`},
	{[]string{"root", "path"}, `"link-etc"`},
	{[]string{"root", "path"}, `"dangling"`},
	{[]string{"root", "path"}, `"rel-up"`},
	{[]string{"root", "path"}, `"rootlink/"`},
	{[]string{"root", "path"}, `""`},
	{[]string{"hooks"}, `{"prestart":[{"path":"/bin/sh","args":["sh","-c","id"],"env":["A=1"],"timeout":5}]}`},
	{[]string{"hooks", "createRuntime"}, `[{"path":"/usr/local/libexec/confine/confine-hook","args":["confine-hook"],"env":["PATH=/bin"],"timeout":30}]`},
	{[]string{"hooks", "createContainer"}, `[{"path":"/bin/true","timeout":-1}]`},
	{[]string{"hooks", "startContainer"}, `[{"path":"/bin/true","args":[],"env":[]}]`},
	{[]string{"hooks", "poststart"}, `[{"path":"/bin/true","timeout":0}]`},
	{[]string{"hooks", "poststop"}, `[{"path":"/bin/true","timeout":2147483647}]`},
	{[]string{"annotations"}, `{"run.oci.seccomp_bpf_data":"AAAA","run.oci.handler":"krun"}`},
	{[]string{"linux", "uidMappings"}, `[{"containerID":0,"hostID":1000,"size":1}]`},
	{[]string{"linux", "gidMappings"}, `[{"containerID":0,"hostID":1000,"size":1}]`},
	{[]string{"linux", "sysctl"}, `{"kernel.core_pattern":"|/tmp/x","net.ipv4.ip_forward":"1"}`},
	{[]string{"linux", "resources"}, `{"devices":[{"allow":true,"access":"rwm"}]}`},
	{[]string{"linux", "resources", "devices"}, `[{"allow":false,"access":"rwm"},{"allow":true,"type":"b","major":8,"minor":0,"access":"rw"}]`},
	{[]string{"linux", "resources", "devices"}, `[{"allow":true,"type":"c","major":-1,"minor":-1,"access":"m"}]`},
	{[]string{"linux", "resources", "memory"}, `{"limit":1073741824,"swap":-1}`},
	{[]string{"linux", "resources", "pids"}, `{"limit":100}`},
	{[]string{"linux", "resources", "unified"}, `{"memory.max":"max"}`},
	{[]string{"linux", "cgroupsPath"}, `"/oracle"`},
	{[]string{"linux", "namespaces"}, `[{"type":"pid"},{"type":"network","path":"/proc/1/ns/net"},{"type":"mount"},{"type":"user"},{"type":"cgroup"},{"type":"ipc","path":""},{"type":"uts"}]`},
	{[]string{"linux", "namespaces"}, `[{"type":"mount"}]`},
	{[]string{"linux", "devices"}, `[{"path":"/dev/sda","type":"b","major":8,"minor":0,"fileMode":438,"uid":0,"gid":0}]`},
	{[]string{"linux", "devices"}, `[{"path":"/dev/mem","type":"c","major":1,"minor":1},{"path":"/dev/kmsg","type":"u","major":1,"minor":11,"fileMode":8630}]`},
	{[]string{"linux", "seccomp"}, `{"defaultAction":"SCMP_ACT_ALLOW"}`},
	{[]string{"linux", "seccomp"}, `{"defaultAction":""}`},
	{[]string{"linux", "seccomp"}, `{"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":1,"architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X86"],"syscalls":[{"names":["clone"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":2114060288,"valueTwo":0,"op":"SCMP_CMP_MASKED_EQ"}]},{"names":["read","write"],"action":"SCMP_ACT_ALLOW"},{"names":["mount"],"action":"SCMP_ACT_ERRNO","errnoRet":38}]}`},
	{[]string{"linux", "seccomp"}, `{"defaultAction":"SCMP_ACT_KILL","syscalls":[{"names":["personality"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":18446744073709551615,"op":"SCMP_CMP_EQ"},{"index":5,"value":4294967296,"valueTwo":1,"op":"SCMP_CMP_NE"}]}]}`},
	{[]string{"linux", "seccomp", "flags"}, `["SECCOMP_FILTER_FLAG_LOG"]`},
	{[]string{"linux", "seccomp", "listenerPath"}, `"/run/agent.sock"`},
	{[]string{"linux", "seccomp", "listenerMetadata"}, `"x"`},
	{[]string{"linux", "seccomp", "syscalls"}, `[{"names":["mount","unshare"],"action":"SCMP_ACT_ALLOW"}]`},
	{[]string{"linux", "rootfsPropagation"}, `"shared"`},
	{[]string{"linux", "rootfsPropagation"}, `"rprivate"`},
	{[]string{"linux", "rootfsPropagation"}, `"bogus"`},
	{[]string{"linux", "maskedPaths"}, `["/proc/kcore","/sys/firmware"]`},
	{[]string{"linux", "maskedPaths"}, `[]`},
	{[]string{"linux", "readonlyPaths"}, `["/proc/sys"]`},
	{[]string{"linux", "mountLabel"}, `""`},
	{[]string{"linux", "intelRdt"}, `{"closID":"x"}`},
	{[]string{"linux", "personality"}, `{"domain":"LINUX32"}`},
	{[]string{"solaris"}, `{"milestone":"x"}`},
	{[]string{"windows"}, `{"layerFolders":null}`},
	{[]string{"vm"}, `{"kernel":{"path":"/k"}}`},
}

// The key spellings Go's decoder folds onto a field but a C reader would
// not: ASCII case, the Kelvin sign for k, the long s, and (Go >= 1.21)
// dotted and dotless i.
func foldVariant(r *rand.Rand, key string) string {
	switch r.Intn(5) {
	case 0:
		return strings.ToUpper(key)
	case 1:
		if key == "" {
			return key
		}
		return strings.ToUpper(key[:1]) + key[1:]
	case 2:
		var b strings.Builder
		for _, c := range key {
			if r.Intn(2) == 0 {
				b.WriteString(strings.ToUpper(string(c)))
			} else {
				b.WriteString(strings.ToLower(string(c)))
			}
		}
		return b.String()
	default:
		repl := map[rune][]string{'k': {"\u212a"}, 'K': {"\u212a"}, 's': {"\u017f"}, 'S': {"\u017f"},
			'i': {"\u0130", "\u0131"}, 'I': {"\u0130", "\u0131"}}
		var b strings.Builder
		changed := false
		for _, c := range key {
			if alts, ok := repl[c]; ok && (!changed || r.Intn(2) == 0) {
				b.WriteString(alts[r.Intn(len(alts))])
				changed = true
			} else {
				b.WriteRune(c)
			}
		}
		if !changed {
			return strings.ToUpper(key)
		}
		return b.String()
	}
}

// escapeAll writes every character of S as a \u escape: the same key to
// both decoders.
func escapeAll(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		if c > 0xFFFF {
			hi, lo := utf16Pair(c)
			fmt.Fprintf(&b, `\u%04x\u%04x`, hi, lo)
		} else {
			fmt.Fprintf(&b, `\u%04X`, c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func utf16Pair(c rune) (rune, rune) {
	c -= 0x10000
	return 0xD800 + (c>>10)&0x3FF, 0xDC00 + c&0x3FF
}

var oddNumbers = []string{
	"0", "-0", "1", "-1", "0.0", "1.0", "1e0", "1E2", "1e-2", "-0.0", "255", "256", "65535", "65536",
	"2147483647", "2147483648", "-2147483648", "-2147483649", "4294967295", "4294967296",
	"9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
	"18446744073709551615", "18446744073709551616", "1e400", "-1e400", "123456789012345678901234567890",
	"0.5", "1.5e3", "4294967296e0",
}

var oddStrings = []string{
	"", " ", "/", "//", "/..", ".", "unconfined", "SCMP_ACT_ALLOW", "CAP_SYS_ADMIN", "a,b",
	"\u00e9", "\U0001F600", "\ufffd", "x\u2028y", "/proc/self/fd/3", "../../etc",
	strings.Repeat("A", 300),
}

// Raw string texts: escapes the two decoders may read differently, and
// bytes that are not UTF-8.
var rawStrings = []string{
	`"\u0000"`, `"a\u0000b"`, `"\ud800"`, `"\udc00x"`, `"\ud83d\ude00"`, `"\ud83d"`,
	`"\/etc"`, `"\u002fetc"`, "\"\xff\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", `"\t"`, `"\u00"`,
	"\"a\x01b\"", `"\x41"`,
}

type mutator struct {
	r *rand.Rand
	// process: the documents are exec process files, so only the
	// catalogue's process fields apply, at the top level.
	process bool
}

func (m *mutator) pick(n int) int { return m.r.Intn(n) }

// A value of a type different from N's (or any, when N is nil).
func (m *mutator) otherType(n *jnode) *jnode {
	for {
		var c *jnode
		switch m.pick(7) {
		case 0:
			c = &jnode{k: kNull}
		case 1:
			c = &jnode{k: kBool, b: m.pick(2) == 0}
		case 2:
			c = &jnode{k: kNumber, text: oddNumbers[m.pick(len(oddNumbers))]}
		case 3:
			c = &jnode{k: kString, text: oddStrings[m.pick(len(oddStrings))]}
		case 4:
			c = &jnode{k: kObject}
		case 5:
			c = &jnode{k: kArray}
		case 6:
			if n != nil {
				c = &jnode{k: kArray, elems: []*jnode{n.clone()}}
			} else {
				c = &jnode{k: kArray, elems: []*jnode{{k: kNull}}}
			}
		}
		if n == nil || c.k != n.k || c.k == kArray {
			return c
		}
	}
}

func (m *mutator) insert(root *jnode, ins insertion) {
	n := root
	for i, key := range ins.path {
		if n.k != kObject {
			return
		}
		last := i == len(ins.path)-1
		found := -1
		for j := range n.members {
			if n.members[j].key == key {
				found = j
			}
		}
		if last {
			v := mustTree(ins.val)
			if found >= 0 {
				n.members[found].val = v
			} else {
				n.members = append(n.members, member{key: key, val: v})
			}
			return
		}
		if found < 0 {
			n.members = append(n.members, member{key: key, val: &jnode{k: kObject}})
			found = len(n.members) - 1
		}
		n = n.members[found].val
	}
}

// interesting paths are mutated more often than the rest.
func interesting(path string) bool {
	for _, p := range []string{"capabilities", "apparmorProfile", "noNewPrivileges", "seccomp",
		"namespaces", "mounts", "devices", "maskedPaths", "readonlyPaths", "hooks", "root",
		"cwd", "sysctl", "rootfsPropagation", "annotations"} {
		if strings.Contains(path, p) {
			return true
		}
	}
	return false
}

func (m *mutator) slot(root *jnode) (slot, bool) {
	var all []slot
	collect(root, "", &all)
	if len(all) == 0 {
		return slot{}, false
	}
	for try := 0; try < 4; try++ {
		s := all[m.pick(len(all))]
		if interesting(s.path) || try == 3 {
			return s, true
		}
	}
	return all[m.pick(len(all))], true
}

// mutateOnce applies one mutation in place; it returns its name.
func (m *mutator) mutateOnce(root *jnode) string {
	switch op := m.pick(16); op {
	case 0, 1:
		ins := catalogue[m.pick(len(catalogue))]
		if m.process {
			if ins.path[0] != "process" || len(ins.path) < 2 {
				return "none"
			}
			ins.path = ins.path[1:]
		}
		m.insert(root, ins)
		return "field " + strings.Join(ins.path, ".")
	case 2:
		var objs []*jnode
		objects(root, &objs)
		o := objs[m.pick(len(objs))]
		if len(o.members) == 0 {
			return "none"
		}
		i := m.pick(len(o.members))
		dup := member{key: o.members[i].key, val: m.variant(o.members[i].val)}
		if m.pick(2) == 0 {
			o.members = append(o.members, dup)
		} else {
			o.members = append([]member{dup}, o.members...)
		}
		return "duplicate key " + dup.key
	case 3, 4:
		var objs []*jnode
		objects(root, &objs)
		o := objs[m.pick(len(objs))]
		if len(o.members) == 0 {
			return "none"
		}
		i := m.pick(len(o.members))
		v := foldVariant(m.r, o.members[i].key)
		if m.pick(3) == 0 {
			// both spellings: Go decodes each into the same field
			o.members = append(o.members, member{key: v, val: m.variant(o.members[i].val)})
		} else {
			o.members[i].key = v
		}
		return "folded key " + v
	case 5:
		var objs []*jnode
		objects(root, &objs)
		o := objs[m.pick(len(objs))]
		if len(o.members) == 0 {
			return "none"
		}
		i := m.pick(len(o.members))
		o.members[i].rawKey = escapeAll(o.members[i].key)
		return "escaped key " + o.members[i].key
	case 6, 7:
		s, ok := m.slot(root)
		if !ok {
			return "none"
		}
		s.set(&jnode{k: kNull})
		return "null at " + s.path
	case 8, 9:
		s, ok := m.slot(root)
		if !ok {
			return "none"
		}
		s.set(m.otherType(s.get()))
		return "type at " + s.path
	case 10:
		s, ok := m.slot(root)
		if !ok {
			return "none"
		}
		s.set(&jnode{k: kNumber, text: oddNumbers[m.pick(len(oddNumbers))]})
		return "number at " + s.path
	case 11:
		s, ok := m.slot(root)
		if !ok {
			return "none"
		}
		if m.pick(2) == 0 {
			s.set(&jnode{k: kRaw, text: rawStrings[m.pick(len(rawStrings))]})
		} else {
			s.set(&jnode{k: kString, text: oddStrings[m.pick(len(oddStrings))]})
		}
		return "string at " + s.path
	case 12:
		s, ok := m.slot(root)
		if !ok {
			return "none"
		}
		if s.parent.k == kObject {
			s.parent.members = append(s.parent.members[:s.index], s.parent.members[s.index+1:]...)
		} else {
			s.parent.elems = append(s.parent.elems[:s.index], s.parent.elems[s.index+1:]...)
		}
		return "drop " + s.path
	case 13:
		s, ok := m.slot(root)
		if !ok || s.get().k != kArray {
			return "none"
		}
		a := s.get()
		switch m.pick(3) {
		case 0:
			a.elems = append(a.elems, &jnode{k: kNull})
		case 1:
			if len(a.elems) > 0 {
				a.elems = append(a.elems, a.elems[m.pick(len(a.elems))].clone())
			}
		default:
			a.elems = nil
		}
		return "array at " + s.path
	case 14:
		// a number that is the same integer to a careful reader
		s, ok := m.slot(root)
		if !ok || s.get().k != kNumber {
			return "none"
		}
		t := s.get().text
		forms := []string{t + ".0", t + "e0", t + "E+0", "-" + t, t + "0"}
		s.set(&jnode{k: kNumber, text: forms[m.pick(len(forms))]})
		return "number form at " + s.path
	default:
		// a string's bytes spelled differently, or its content changed
		s, ok := m.slot(root)
		if !ok || s.get().k != kString {
			return "none"
		}
		t := s.get().text
		switch m.pick(4) {
		case 0:
			s.set(&jnode{k: kRaw, text: escapeAll(t)})
		case 1:
			s.set(&jnode{k: kString, text: strings.ToUpper(t)})
		case 2:
			s.set(&jnode{k: kString, text: t + "\u0000"})
		default:
			if utf8.ValidString(t) && len(t) > 0 {
				s.set(&jnode{k: kString, text: t[:len(t)-1]})
			}
		}
		return "string form at " + s.path
	}
}

// variant is a value like V but not equal to it: what a duplicate or a
// folded key carries, so that first-wins and last-wins readings differ.
func (m *mutator) variant(v *jnode) *jnode {
	c := v.clone()
	switch c.k {
	case kBool:
		c.b = !c.b
	case kString:
		c.text = c.text + "-dup"
	case kNumber:
		c.text = "7"
	case kArray:
		c.elems = append(c.elems, &jnode{k: kString, text: "CAP_SYS_ADMIN"})
	case kObject:
		if len(c.members) > 0 {
			i := m.pick(len(c.members))
			c.members[i].val = m.variant(c.members[i].val)
		}
	default:
		return m.otherType(v)
	}
	return c
}

// framing: whole-document damage a decoder may forgive.
func (m *mutator) frame(doc []byte) ([]byte, string) {
	switch m.pick(40) {
	case 0:
		return append(doc, []byte(" {\"process\":null}")...), "second document"
	case 1:
		return append(doc, []byte(" xyz")...), "trailing garbage"
	case 2:
		return append([]byte("\xef\xbb\xbf"), doc...), "byte order mark"
	case 3:
		return append([]byte("/* c */"), doc...), "comment"
	case 4:
		return append(doc, []byte("\n\t ")...), "trailing space"
	}
	return doc, ""
}

type mutant struct {
	doc  []byte
	what string
}

// mutants yields COUNT variants of the seeds, the same for the same seed.
func mutants(seeds []*jnode, seed int64, count int, process bool, each func(mutant) bool) {
	m := &mutator{r: rand.New(rand.NewSource(seed)), process: process}
	for i := 0; i < count; i++ {
		root := seeds[m.pick(len(seeds))].clone()
		var what []string
		for j := m.pick(3); j >= 0; j-- {
			if w := m.mutateOnce(root); w != "none" {
				what = append(what, w)
			}
		}
		doc, f := m.frame(root.bytes())
		if f != "" {
			what = append(what, f)
		}
		if !each(mutant{doc, strings.Join(what, "; ")}) {
			return
		}
	}
}
