// SPDX-License-Identifier: Apache-2.0
package main

// What runc 1.1.5 reads from a config.json, computed with runc's own code:
// the document is decoded as runc's loadSpec decodes it (one
// json.Decoder.Decode into specs.Spec), and judged as runc's create judges
// it (validateProcessSpec, specconv.CreateLibcontainerConfig, the
// libcontainer config validator).
//
// The facts are printed in one canonical JSON schema that
// tests/oracle/confine-facts.c prints too, at the level of the spec: what
// the decoder put into each field. Go cannot tell an absent string from ""
// or a nil list from an empty one, so the schema does not either: strings
// are "" when absent, lists [] and maps {}. Pointers that runc reads as
// "unset" (a hook's timeout, a device rule's major) stay null.

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"

	"github.com/opencontainers/runc/libcontainer/configs"
	"github.com/opencontainers/runc/libcontainer/configs/validate"
	"github.com/opencontainers/runc/libcontainer/specconv"
	specs "github.com/opencontainers/runtime-spec/specs-go"
	"github.com/sirupsen/logrus"
)

func init() {
	// CreateLibcontainerConfig and the validator warn through logrus.
	logrus.SetOutput(io.Discard)
}

// runcVerdict says how far runc gets with a document: "" when create
// would go ahead, else the stage that refuses and runc's error.
type runcVerdict struct {
	Stage string `json:"stage,omitempty"` // decode, process, convert, validate
	Error string `json:"error,omitempty"`
}

// decodeSpec is runc's loadSpec without the file: json.NewDecoder on the
// bytes, one Decode into *specs.Spec. Trailing bytes are never read.
func decodeSpec(doc []byte) (*specs.Spec, error) {
	var spec *specs.Spec
	if err := json.NewDecoder(bytes.NewReader(doc)).Decode(&spec); err != nil {
		return nil, err
	}
	if spec == nil {
		// runc would dereference the nil spec and crash; it never runs.
		return nil, errors.New("the document is null")
	}
	return spec, nil
}

// validateProcessSpec is runc's (utils_linux.go, package main, which
// cannot be imported), minus the SELinux check, which needs SELinux.
func validateProcessSpec(p *specs.Process) error {
	if p == nil {
		return errors.New("process property must not be empty")
	}
	if p.Cwd == "" {
		return errors.New("Cwd property must not be empty")
	}
	if !filepath.IsAbs(p.Cwd) {
		return errors.New("Cwd must be an absolute path")
	}
	if len(p.Args) == 0 {
		return errors.New("args must not be empty")
	}
	return nil
}

// judge runs the rest of runc's create on a decoded spec. SCRATCH is an
// existing directory that stands in for root.path in the validator, whose
// only host-dependent check is that the rootfs exists.
func judge(spec *specs.Spec, scratch string) (*configs.Config, runcVerdict) {
	if err := validateProcessSpec(spec.Process); err != nil {
		return nil, runcVerdict{"process", err.Error()}
	}
	config, err := specconv.CreateLibcontainerConfig(&specconv.CreateOpts{
		CgroupName: "oracle",
		Spec:       spec,
	})
	if err != nil {
		return nil, runcVerdict{"convert", err.Error()}
	}
	saved := config.Rootfs
	config.Rootfs = scratch
	err = validate.New().Validate(config)
	config.Rootfs = saved
	if err != nil {
		return nil, runcVerdict{"validate", err.Error()}
	}
	return config, runcVerdict{}
}

type capsFacts struct {
	Bounding    []string `json:"bounding"`
	Effective   []string `json:"effective"`
	Inheritable []string `json:"inheritable"`
	Permitted   []string `json:"permitted"`
	Ambient     []string `json:"ambient"`
}

type processFacts struct {
	ApparmorProfile string     `json:"apparmorProfile"`
	NoNewPrivileges bool       `json:"noNewPrivileges"`
	Capabilities    *capsFacts `json:"capabilities"`
	Cwd             string     `json:"cwd"`
}

type rootFacts struct {
	Path     string `json:"path"`
	Readonly bool   `json:"readonly"`
}

type mountFacts struct {
	Destination string   `json:"destination"`
	Type        string   `json:"type"`
	Source      string   `json:"source"`
	Options     []string `json:"options"`
}

// A hook's env stays null when absent: runc (os/exec) hands a hook with a
// nil Env its own whole environment, and one with [] an empty one.
type hookFacts struct {
	Path    string   `json:"path"`
	Args    []string `json:"args"`
	Env     []string `json:"env"`
	Timeout *int     `json:"timeout"`
}

type hooksFacts struct {
	Prestart        []hookFacts `json:"prestart"`
	CreateRuntime   []hookFacts `json:"createRuntime"`
	CreateContainer []hookFacts `json:"createContainer"`
	StartContainer  []hookFacts `json:"startContainer"`
	Poststart       []hookFacts `json:"poststart"`
	Poststop        []hookFacts `json:"poststop"`
}

type namespaceFacts struct {
	Type string `json:"type"`
	Path string `json:"path"`
}

type deviceFacts struct {
	Path     string  `json:"path"`
	Type     string  `json:"type"`
	Major    int64   `json:"major"`
	Minor    int64   `json:"minor"`
	FileMode *uint32 `json:"fileMode"`
	UID      *uint32 `json:"uid"`
	GID      *uint32 `json:"gid"`
}

type deviceRuleFacts struct {
	Allow  bool   `json:"allow"`
	Type   string `json:"type"`
	Major  *int64 `json:"major"`
	Minor  *int64 `json:"minor"`
	Access string `json:"access"`
}

type seccompArgFacts struct {
	Index    uint   `json:"index"`
	Value    uint64 `json:"value"`
	ValueTwo uint64 `json:"valueTwo"`
	Op       string `json:"op"`
}

type syscallFacts struct {
	Names    []string          `json:"names"`
	Action   string            `json:"action"`
	ErrnoRet *uint             `json:"errnoRet"`
	Args     []seccompArgFacts `json:"args"`
}

type seccompFacts struct {
	DefaultAction   string         `json:"defaultAction"`
	DefaultErrnoRet *uint          `json:"defaultErrnoRet"`
	Architectures   []string       `json:"architectures"`
	Flags           []string       `json:"flags"`
	ListenerPath    string         `json:"listenerPath"`
	Syscalls        []syscallFacts `json:"syscalls"`
}

// appliedFacts are read from runc's converted config, so they exist only
// for a document runc accepts.
type appliedFacts struct {
	// A seccomp filter is loaded (specconv drops a section with no
	// default action and no syscalls).
	SeccompFilter bool `json:"seccompFilter"`
	// Where root.path and each mount's source lead on this host, read as
	// host paths (resolve.go).
	Rootfs  string   `json:"rootfs"`
	Sources []string `json:"sources"`
}

type facts struct {
	Process           *processFacts     `json:"process"`
	Root              *rootFacts        `json:"root"`
	Mounts            []mountFacts      `json:"mounts"`
	Hooks             hooksFacts        `json:"hooks"`
	Annotations       map[string]string `json:"annotations"`
	Namespaces        []namespaceFacts  `json:"namespaces"`
	Devices           []deviceFacts     `json:"devices"`
	DeviceRules       []deviceRuleFacts `json:"deviceRules"`
	MaskedPaths       []string          `json:"maskedPaths"`
	ReadonlyPaths     []string          `json:"readonlyPaths"`
	Sysctl            map[string]string `json:"sysctl"`
	RootfsPropagation string            `json:"rootfsPropagation"`
	Seccomp           *seccompFacts     `json:"seccomp"`
	Applied           *appliedFacts     `json:"applied,omitempty"`
}

func strs(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

func hooks(hs []specs.Hook) []hookFacts {
	out := []hookFacts{}
	for _, h := range hs {
		out = append(out, hookFacts{h.Path, strs(h.Args), h.Env, h.Timeout})
	}
	return out
}

func processFactsOf(p *specs.Process) *processFacts {
	f := &processFacts{
		ApparmorProfile: p.ApparmorProfile,
		NoNewPrivileges: p.NoNewPrivileges,
		Cwd:             p.Cwd,
	}
	if c := p.Capabilities; c != nil {
		f.Capabilities = &capsFacts{strs(c.Bounding), strs(c.Effective),
			strs(c.Inheritable), strs(c.Permitted), strs(c.Ambient)}
	}
	return f
}

func specFacts(spec *specs.Spec, config *configs.Config) *facts {
	f := &facts{
		Mounts:        []mountFacts{},
		Annotations:   map[string]string{},
		Namespaces:    []namespaceFacts{},
		Devices:       []deviceFacts{},
		DeviceRules:   []deviceRuleFacts{},
		MaskedPaths:   []string{},
		ReadonlyPaths: []string{},
		Sysctl:        map[string]string{},
	}
	if p := spec.Process; p != nil {
		f.Process = processFactsOf(p)
	}
	if r := spec.Root; r != nil {
		f.Root = &rootFacts{r.Path, r.Readonly}
	}
	for _, m := range spec.Mounts {
		f.Mounts = append(f.Mounts, mountFacts{m.Destination, m.Type, m.Source, strs(m.Options)})
	}
	h := spec.Hooks
	if h == nil {
		h = &specs.Hooks{}
	}
	f.Hooks = hooksFacts{hooks(h.Prestart), hooks(h.CreateRuntime), hooks(h.CreateContainer),
		hooks(h.StartContainer), hooks(h.Poststart), hooks(h.Poststop)}
	for k, v := range spec.Annotations {
		f.Annotations[k] = v
	}
	if l := spec.Linux; l != nil {
		for _, ns := range l.Namespaces {
			f.Namespaces = append(f.Namespaces, namespaceFacts{string(ns.Type), ns.Path})
		}
		for _, d := range l.Devices {
			df := deviceFacts{Path: d.Path, Type: d.Type, Major: d.Major, Minor: d.Minor,
				UID: d.UID, GID: d.GID}
			if d.FileMode != nil {
				m := uint32(*d.FileMode)
				df.FileMode = &m
			}
			f.Devices = append(f.Devices, df)
		}
		if l.Resources != nil {
			for _, d := range l.Resources.Devices {
				f.DeviceRules = append(f.DeviceRules,
					deviceRuleFacts{d.Allow, d.Type, d.Major, d.Minor, d.Access})
			}
		}
		f.MaskedPaths = strs(l.MaskedPaths)
		f.ReadonlyPaths = strs(l.ReadonlyPaths)
		for k, v := range l.Sysctl {
			f.Sysctl[k] = v
		}
		f.RootfsPropagation = l.RootfsPropagation
		if s := l.Seccomp; s != nil {
			sf := &seccompFacts{
				DefaultAction:   string(s.DefaultAction),
				DefaultErrnoRet: s.DefaultErrnoRet,
				Architectures:   []string{},
				Flags:           []string{},
				ListenerPath:    s.ListenerPath,
				Syscalls:        []syscallFacts{},
			}
			for _, a := range s.Architectures {
				sf.Architectures = append(sf.Architectures, string(a))
			}
			for _, fl := range s.Flags {
				sf.Flags = append(sf.Flags, string(fl))
			}
			for _, c := range s.Syscalls {
				cf := syscallFacts{strs(c.Names), string(c.Action), c.ErrnoRet, []seccompArgFacts{}}
				for _, a := range c.Args {
					cf.Args = append(cf.Args, seccompArgFacts{a.Index, a.Value, a.ValueTwo, string(a.Op)})
				}
				sf.Syscalls = append(sf.Syscalls, cf)
			}
			f.Seccomp = sf
		}
	}
	if config != nil {
		bundle := config.Labels[len(config.Labels)-1][len("bundle="):]
		f.Applied = &appliedFacts{SeccompFilter: config.Seccomp != nil,
			Rootfs: resolvedFact(bundle, spec.Root.Path), Sources: []string{}}
		for _, m := range spec.Mounts {
			f.Applied.Sources = append(f.Applied.Sources, resolvedFact(bundle, m.Source))
		}
	}
	return f
}

// oracleResult is what the oracle says about one document.
type oracleResult struct {
	Decoded bool        `json:"decoded"` // runc's decoder accepted it
	Verdict runcVerdict `json:"verdict"`
	Facts   *facts      `json:"facts,omitempty"`
	Exec    *execFacts  `json:"exec,omitempty"`
	spec    *specs.Spec
	config  *configs.Config
}

func oracle(doc []byte, scratch string) *oracleResult {
	spec, err := decodeSpec(doc)
	if err != nil {
		return &oracleResult{Verdict: runcVerdict{"decode", err.Error()}}
	}
	config, v := judge(spec, scratch)
	return &oracleResult{Decoded: true, Verdict: v, Facts: specFacts(spec, config),
		spec: spec, config: config}
}

// execFacts is what runc exec reads from a --process file (docker exec
// hands one over): the same process facts.
type execFacts struct {
	Process *processFacts `json:"process"`
}

// oracleProcess is runc exec's getProcess: one Decode into a
// specs.Process value (so a null document is a zero process), then
// validateProcessSpec.
func oracleProcess(doc []byte) *oracleResult {
	var p specs.Process
	if err := json.NewDecoder(bytes.NewReader(doc)).Decode(&p); err != nil {
		return &oracleResult{Verdict: runcVerdict{"decode", err.Error()}}
	}
	res := &oracleResult{Decoded: true, Exec: &execFacts{processFactsOf(&p)}}
	if err := validateProcessSpec(&p); err != nil {
		res.Verdict = runcVerdict{"process", err.Error()}
	}
	return res
}

// scratchDir makes the stand-in rootfs for the validator.
func scratchDir() (string, func(), error) {
	d, err := os.MkdirTemp("", "runc-oracle.")
	if err != nil {
		return "", nil, err
	}
	d, err = filepath.EvalSymlinks(d)
	if err != nil {
		return "", nil, err
	}
	return d, func() { os.RemoveAll(d) }, nil
}
