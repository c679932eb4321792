// SPDX-License-Identifier: Apache-2.0
package main

// Where the host paths runc hands the kernel really lead: an independent
// walk, component by component with lstat and readlink, of the path runc
// passes to mount(2) for the root filesystem and for a mount's source
// (specconv joins a relative one to the bundle with filepath.Join, which
// cleans it lexically first; an absolute one goes to the kernel as
// written). confine's resolver (src/hostpath.c) must reach the same file.

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// runcHostPath is the string runc passes on: relative paths joined to
// the bundle (runc's working directory) as specconv joins them.
func runcHostPath(bundle, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(bundle, p)
}

// kernelResolve follows P as the kernel's path walk does. Below a name
// that does not exist nothing can be followed, so the rest is cleaned
// lexically (runc's mount would fail there; a gate names the path it
// would have been).
func kernelResolve(p string) (string, error) {
	if !filepath.IsAbs(p) {
		return "", errors.New("not absolute")
	}
	if len(p) >= syscall.PathMax {
		return "", syscall.ENAMETOOLONG
	}
	resolved := "/"
	todo := strings.Split(p, "/")
	links := 0
	for len(todo) > 0 {
		c := todo[0]
		todo = todo[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			resolved = filepath.Dir(resolved)
			continue
		}
		if len(c) > 255 {
			return "", syscall.ENAMETOOLONG
		}
		next := filepath.Join(resolved, c)
		fi, err := os.Lstat(next)
		if errors.Is(err, os.ErrNotExist) {
			return filepath.Join(append([]string{next}, todo...)...), nil
		}
		if err != nil {
			return "", err
		}
		if fi.Mode()&os.ModeSymlink != 0 {
			if links++; links > 40 {
				return "", syscall.ELOOP
			}
			target, err := os.Readlink(next)
			if err != nil {
				return "", err
			}
			if filepath.IsAbs(target) {
				resolved = "/"
			}
			todo = append(strings.Split(target, "/"), todo...)
			continue
		}
		if !fi.IsDir() && strings.Trim(strings.Join(todo, ""), ".") != "" {
			return "", syscall.ENOTDIR
		}
		resolved = next
	}
	return resolved, nil
}

// resolvedFact is the fact for one path: where it leads, or "!" and the
// error when the walk fails. An empty path is the bundle itself, as
// filepath.Join makes it.
func resolvedFact(bundle, p string) string {
	r, err := kernelResolve(runcHostPath(bundle, p))
	if err != nil {
		return "!" + err.Error()
	}
	return r
}
