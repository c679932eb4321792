// SPDX-License-Identifier: Apache-2.0
package main

// The exact BPF program runc 1.1.5 loads for a spec, built by runc's own
// code without loading it: InitSeccomp (libcontainer/seccomp) builds the
// libseccomp filter with matchCall and hands it to patchbpf.PatchAndLoad,
// which prepends the -ENOSYS stub (enosysPatchFilter) and calls
// seccomp(2). The two unexported functions that do the work are reached
// with go:linkname; the glue between them is InitSeccomp's, repeated
// below step for step because InitSeccomp ends by loading the filter into
// the calling process.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	_ "unsafe" // go:linkname

	"github.com/opencontainers/runc/libcontainer/configs"
	_ "github.com/opencontainers/runc/libcontainer/seccomp"
	_ "github.com/opencontainers/runc/libcontainer/seccomp/patchbpf"
	libseccomp "github.com/seccomp/libseccomp-golang"
	"golang.org/x/sys/unix"
)

//go:linkname runcMatchCall github.com/opencontainers/runc/libcontainer/seccomp.matchCall
func runcMatchCall(filter *libseccomp.ScmpFilter, call *configs.Syscall, defAct libseccomp.ScmpAction) error

//go:linkname runcGetAction github.com/opencontainers/runc/libcontainer/seccomp.getAction
func runcGetAction(act configs.Action, errnoRet *uint) (libseccomp.ScmpAction, error)

//go:linkname runcEnosysPatchFilter github.com/opencontainers/runc/libcontainer/seccomp/patchbpf.enosysPatchFilter
func runcEnosysPatchFilter(config *configs.Seccomp, filter *libseccomp.ScmpFilter) ([]unix.SockFilter, error)

// runcBPF returns the program runc would pass to seccomp(2), as raw
// struct sock_filter bytes in host order.
func runcBPF(config *configs.Seccomp) ([]byte, error) {
	if config == nil {
		return nil, errors.New("runc loads no filter for this spec")
	}
	defaultAction, err := runcGetAction(config.DefaultAction, config.DefaultErrnoRet)
	if err != nil {
		return nil, errors.New("error initializing seccomp - invalid default action")
	}
	for _, call := range config.Syscalls {
		if call.Action == configs.Notify && call.Name == "write" {
			return nil, errors.New("SCMP_ACT_NOTIFY cannot be used for the write syscall")
		}
	}
	if defaultAction == libseccomp.ActNotify {
		return nil, errors.New("SCMP_ACT_NOTIFY cannot be used as default action")
	}
	filter, err := libseccomp.NewFilter(defaultAction)
	if err != nil {
		return nil, fmt.Errorf("error creating filter: %w", err)
	}
	defer filter.Release()
	for _, arch := range config.Architectures {
		scmpArch, err := libseccomp.GetArchFromString(arch)
		if err != nil {
			return nil, fmt.Errorf("error validating Seccomp architecture: %w", err)
		}
		if err := filter.AddArch(scmpArch); err != nil {
			return nil, fmt.Errorf("error adding architecture to seccomp filter: %w", err)
		}
	}
	if err := filter.SetNoNewPrivsBit(false); err != nil {
		return nil, fmt.Errorf("error setting no new privileges: %w", err)
	}
	for _, call := range config.Syscalls {
		if call == nil {
			return nil, errors.New("encountered nil syscall while initializing Seccomp")
		}
		if err := runcMatchCall(filter, call, defaultAction); err != nil {
			return nil, err
		}
	}
	prog, err := runcEnosysPatchFilter(config, filter)
	if err != nil {
		return nil, fmt.Errorf("error patching filter: %w", err)
	}
	var b bytes.Buffer
	for _, insn := range prog {
		if err := binary.Write(&b, binary.LittleEndian, insn); err != nil {
			return nil, err
		}
	}
	return b.Bytes(), nil
}
