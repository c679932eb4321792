// SPDX-License-Identifier: Apache-2.0

// runc-oracle: runc 1.1.5's own reading of config.json, as a test oracle
// for confine (issue 9). It is built from Debian's packaged runc source
// (GOPATH=/usr/share/gocode, GO111MODULE=off) and is a test tool only.
//
//	runc-oracle facts FILE...          what runc reads from each file, one JSON line each
//	runc-oracle bpf FILE OUT           the BPF program runc would load for FILE
//	runc-oracle diff -confine TOOL [flags] FILE...
//	                                   the differential: every FILE, then generated
//	                                   mutations of them, read by runc's code and by
//	                                   confine's (TOOL is build/oracle/confine-facts)
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

func die(format string, a ...interface{}) {
	fmt.Fprintf(os.Stderr, "runc-oracle: "+format+"\n", a...)
	os.Exit(2)
}

func main() {
	if len(os.Args) < 2 {
		die("usage: runc-oracle facts|bpf|diff ...")
	}
	switch os.Args[1] {
	case "facts":
		cmdFacts(os.Args[2:])
	case "bpf":
		cmdBPF(os.Args[2:])
	case "diff":
		os.Exit(cmdDiff(os.Args[2:]))
	default:
		die("unknown command %q", os.Args[1])
	}
}

func cmdFacts(files []string) {
	scratch, done, err := scratchDir()
	if err != nil {
		die("%v", err)
	}
	defer done()
	enc := json.NewEncoder(os.Stdout)
	for _, f := range files {
		doc, err := os.ReadFile(f)
		if err != nil {
			die("%v", err)
		}
		if err := enc.Encode(struct {
			File string `json:"file"`
			*oracleResult
		}{f, oracle(doc, scratch)}); err != nil {
			die("%v", err)
		}
	}
}

func cmdBPF(args []string) {
	if len(args) != 2 {
		die("usage: runc-oracle bpf FILE OUT")
	}
	scratch, done, err := scratchDir()
	if err != nil {
		die("%v", err)
	}
	defer done()
	doc, err := os.ReadFile(args[0])
	if err != nil {
		die("%v", err)
	}
	res := oracle(doc, scratch)
	if res.config == nil {
		die("runc refuses %s (%s): %s", args[0], res.Verdict.Stage, res.Verdict.Error)
	}
	prog, err := runcBPF(res.config.Seccomp)
	if err != nil {
		die("%s: %v", args[0], err)
	}
	if err := os.WriteFile(args[1], prog, 0o644); err != nil {
		die("%v", err)
	}
}

// confineTool talks to `confine-facts --stream`: a frame is a line
// "LENGTH [BPF-FILE]" and LENGTH bytes of document; the answer is one line.
type confineTool struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

func startConfine(path, mode string) (*confineTool, error) {
	cmd := exec.Command(path, mode)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &confineTool{cmd, in, bufio.NewReaderSize(out, 1<<20)}, nil
}

type confineAnswer struct {
	OK    bool            `json:"ok"`
	Error string          `json:"error"`
	Facts json.RawMessage `json:"facts"`
	BPF   *struct {
		Same   bool   `json:"same"`
		Detail string `json:"detail"`
	} `json:"bpf"`
}

func (t *confineTool) ask(doc []byte, bpfFile string) (*confineAnswer, error) {
	head := strconv.Itoa(len(doc))
	if bpfFile != "" {
		head += " " + bpfFile
	}
	if _, err := io.WriteString(t.in, head+"\n"); err != nil {
		return nil, err
	}
	if _, err := t.in.Write(doc); err != nil {
		return nil, err
	}
	line, err := t.out.ReadBytes('\n')
	if err != nil {
		return nil, fmt.Errorf("confine-facts stopped answering: %v", err)
	}
	var a confineAnswer
	if err := json.Unmarshal(line, &a); err != nil {
		return nil, fmt.Errorf("confine-facts answered %q: %v", line, err)
	}
	return &a, nil
}

type tally struct {
	docs, sameFacts, divergent     int
	confineRefusesRuncAccepts      int
	bothRefuse                     int
	confineAcceptsDecodeRefuses    int
	confineAcceptsRuncRefusesLater map[string]int
	bpfChecked, bpfDivergent       int
	uncompared                     map[string]bool
	refusals                       map[string]int // why confine refused what runc accepts
}

// reasonRe blanks out the parts of confine's messages that vary.
var reasonRe = regexp.MustCompile("`[^`]*`|[0-9]+")

func cmdDiff(args []string) int {
	fs := flag.NewFlagSet("diff", flag.ExitOnError)
	tool := fs.String("confine", "", "confine-facts binary")
	seed := fs.Int64("seed", 1, "mutation seed")
	count := fs.Int("n", 3000, "mutations to generate")
	budget := fs.Duration("budget", 60*time.Second, "stop generating after this long")
	outDir := fs.String("out", "", "write each divergent input here")
	pendingFlag := fs.String("pending", "", "comma-separated facts confine does not type yet")
	bpfMax := fs.Int("bpf", 200, "compare runc's BPF with confine's for at most this many documents")
	verbose := fs.Bool("v", false, "print every confine-accepts/runc-refuses case")
	process := fs.Bool("process", false, "the documents are runc exec --process files")
	_ = fs.Parse(args)
	if *tool == "" {
		die("diff: -confine is required")
	}
	// Paths stay valid after the chdir into the bundle below.
	abs := func(p string) string {
		a, err := filepath.Abs(p)
		if err != nil {
			die("%v", err)
		}
		return a
	}
	*tool = abs(*tool)
	if *outDir != "" {
		*outDir = abs(*outDir)
	}
	var inputs []string
	for _, a := range fs.Args() {
		inputs = append(inputs, abs(a))
	}
	var pending []string
	if *pendingFlag != "" {
		pending = strings.Split(*pendingFlag, ",")
	}
	scratch, done, err := scratchDir()
	if err != nil {
		die("%v", err)
	}
	defer done()
	// The bundle: runc's working directory, and confine-facts'. Links in
	// it give the host-path facts something to resolve.
	bundle := filepath.Join(scratch, "bundle")
	if err := makeBundle(bundle); err != nil {
		die("%v", err)
	}
	if err := os.Chdir(bundle); err != nil {
		die("%v", err)
	}
	mode := "--stream"
	if *process {
		mode = "--stream-process"
	}
	t, err := startConfine(*tool, mode)
	if err != nil {
		die("start %s: %v", *tool, err)
	}
	defer func() { t.in.Close(); _ = t.cmd.Wait() }()

	tl := &tally{confineAcceptsRuncRefusesLater: map[string]int{}, uncompared: map[string]bool{},
		refusals: map[string]int{}}
	failures := 0
	examples := map[string]int{}
	bpfSeen := map[string]bool{}
	report := func(kind, what string, doc []byte, detail string) {
		failures++
		if failures <= 20 {
			fmt.Printf("FAIL %s (%s): %s\n", kind, what, detail)
			fmt.Printf("     input: %s\n", clip(doc, 600))
		}
		if *outDir != "" {
			_ = os.MkdirAll(*outDir, 0o755)
			name := filepath.Join(*outDir, fmt.Sprintf("divergence-%d.json", failures))
			_ = os.WriteFile(name, doc, 0o644)
		}
	}
	check := func(doc []byte, what string) error {
		tl.docs++
		var res *oracleResult
		var runcFacts interface{}
		if *process {
			res = oracleProcess(doc)
			runcFacts = res.Exec
		} else {
			res = oracle(doc, scratch)
			runcFacts = res.Facts
		}
		bpfFile := ""
		var runcProg []byte
		if res.config != nil && res.config.Seccomp != nil && tl.bpfChecked < *bpfMax &&
			!bpfSeen[string(mustJSON(res.Facts.Seccomp))] {
			// Each distinct seccomp section once: most mutations leave it alone.
			bpfSeen[string(mustJSON(res.Facts.Seccomp))] = true
			if p, err := runcBPF(res.config.Seccomp); err == nil {
				runcProg = p
				bpfFile = filepath.Join(scratch, "runc.bpf")
				if err := os.WriteFile(bpfFile, p, 0o644); err != nil {
					return err
				}
			}
		}
		ans, err := t.ask(doc, bpfFile)
		if err != nil {
			return err
		}
		accepted := res.Verdict.Stage == ""
		switch {
		case !ans.OK && accepted:
			tl.confineRefusesRuncAccepts++
			tl.refusals[reasonRe.ReplaceAllString(ans.Error, "_")]++
			return nil
		case !ans.OK:
			tl.bothRefuse++
			return nil
		case !res.Decoded:
			tl.confineAcceptsDecodeRefuses++
			if *verbose || examples["decode"] < 3 {
				examples["decode"]++
				fmt.Printf("NOTE confine accepts, runc's decoder refuses (%s): %s\n     input: %s\n",
					what, res.Verdict.Error, clip(doc, 300))
			}
			return nil
		}
		if !accepted {
			tl.confineAcceptsRuncRefusesLater[res.Verdict.Stage]++
			if *verbose {
				fmt.Printf("NOTE confine accepts, runc refuses at %s (%s): %s\n", res.Verdict.Stage, what, res.Verdict.Error)
			}
		}
		conf, err := parseGeneric(ans.Facts)
		if err != nil {
			return fmt.Errorf("confine-facts printed bad facts %q: %v", ans.Facts, err)
		}
		if m, ok := conf.(map[string]interface{}); ok && (res.Facts == nil || res.Facts.Applied == nil) {
			delete(m, "applied") // runc converted nothing to compare with
		}
		diffs, unc, err := compareFacts(runcFacts, conf)
		if err != nil {
			return err
		}
		for k := range unc {
			tl.uncompared[k] = true
		}
		if len(diffs) > 0 {
			tl.divergent++
			report("divergence", what, doc, strings.Join(diffs, "; "))
		} else {
			tl.sameFacts++
		}
		if ans.BPF != nil {
			tl.bpfChecked++
			if !ans.BPF.Same {
				tl.bpfDivergent++
				report("bpf verdict", what, doc, fmt.Sprintf("%s (runc program %d instructions)",
					ans.BPF.Detail, len(runcProg)/8))
			}
		}
		return nil
	}

	var files []string
	for _, a := range inputs {
		// A directory (a fuzzer's corpus) stands for the files in it.
		if st, err := os.Stat(a); err == nil && st.IsDir() {
			entries, err := os.ReadDir(a)
			if err != nil {
				die("%v", err)
			}
			for _, e := range entries {
				if e.Type().IsRegular() {
					files = append(files, filepath.Join(a, e.Name()))
				}
			}
			continue
		}
		files = append(files, a)
	}
	var seeds []*jnode
	for _, f := range files {
		doc, err := os.ReadFile(f)
		if err != nil {
			die("%v", err)
		}
		if err := check(doc, "as is: "+f); err != nil {
			die("%s: %v", f, err)
		}
		if tree, err := parseTree(doc); err == nil && tree.k == kObject {
			seeds = append(seeds, tree)
		}
	}
	start := time.Now()
	generated := 0
	if len(seeds) > 0 && *count > 0 {
		var ferr error
		mutants(seeds, *seed, *count, *process, func(m mutant) bool {
			generated++
			if ferr = check(m.doc, m.what); ferr != nil {
				return false
			}
			return time.Since(start) < *budget
		})
		if ferr != nil {
			die("%v", ferr)
		}
	}

	fmt.Printf("documents %d (%d files, %d mutations of %d seeds, seed %d, %.1fs)\n", tl.docs,
		len(files), generated, len(seeds), *seed, time.Since(start).Seconds())
	fmt.Printf("  both accept, same facts:            %d\n", tl.sameFacts)
	fmt.Printf("  both accept, facts differ:          %d\n", tl.divergent)
	fmt.Printf("  confine refuses, runc accepts:      %d (fails closed)\n", tl.confineRefusesRuncAccepts)
	if *verbose {
		for _, r := range sortedKeys(boolKeys(tl.refusals)) {
			fmt.Printf("    %5d %s\n", tl.refusals[r], r)
		}
	}
	fmt.Printf("  both refuse:                        %d\n", tl.bothRefuse)
	fmt.Printf("  confine accepts, runc decode fails: %d\n", tl.confineAcceptsDecodeRefuses)
	stages := make([]string, 0)
	for s := range tl.confineAcceptsRuncRefusesLater {
		stages = append(stages, s)
	}
	sort.Strings(stages)
	for _, s := range stages {
		fmt.Printf("  confine accepts, runc refuses at %s: %d (facts compared)\n", s, tl.confineAcceptsRuncRefusesLater[s])
	}
	fmt.Printf("  BPF verdicts compared:              %d, differ: %d\n", tl.bpfChecked, tl.bpfDivergent)
	var missing []string
	for _, k := range sortedKeys(tl.uncompared) {
		if !pendingMatch(k, pending) {
			missing = append(missing, k)
		}
	}
	if len(tl.uncompared) > 0 {
		fmt.Printf("  not compared (confine does not type them yet): %s\n", strings.Join(sortedKeys(tl.uncompared), " "))
	}
	if len(missing) > 0 {
		fmt.Printf("FAIL confine-facts does not print: %s\n", strings.Join(missing, " "))
		failures++
	}
	if failures > 0 {
		return 1
	}
	return 0
}

func clip(doc []byte, n int) string {
	s := strconv.Quote(string(doc))
	if len(s) > n {
		s = s[:n] + "..."
	}
	return s
}

func boolKeys(m map[string]int) map[string]bool {
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}

func makeBundle(dir string) error {
	for _, d := range []string{dir, filepath.Join(dir, "rootfs"), filepath.Join(dir, "data")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "file"), nil, 0o644); err != nil {
		return err
	}
	for name, target := range map[string]string{
		"link-etc": "/etc",
		"dangling": "/run/confine-oracle-missing/x",
		"loop":     "loop",
		"rel-up":   "../..",
		"rootlink": "rootfs",
		"sock":     "/var/run/docker.sock",
	} {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	return nil
}
