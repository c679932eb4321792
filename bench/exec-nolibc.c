/* SPDX-License-Identifier: Apache-2.0 */
/* An exec and nothing else, without a C library: the floor under any
 * program in front of runc, on this machine. Against exec-glibc it shows
 * what glibc's start costs (on a VM, its CPUID instructions trap to the
 * hypervisor; a static glibc program executes dozens before main).
 *
 *   exec-nolibc /ABSOLUTE/PATH [ARG]...
 *
 * execve(argv[1], argv + 1, envp) straight from the entry point's stack
 * (argc, argv..., NULL, envp...); exit 127 when it fails. x86-64 only:
 * it measures this machine. */
#if !defined(__x86_64__)
#error "exec-nolibc is written for x86-64"
#endif

__attribute__ ((naked, noreturn)) void _start (void);

void
_start (void)
{
  __asm__ ("mov (%rsp), %rdi\n\t"         /* argc */
           "lea 8(%rsp), %rsi\n\t"        /* argv */
           "lea 8(%rsi,%rdi,8), %rdx\n\t" /* envp: past argv's NULL */
           "add $8, %rsi\n\t"             /* argv + 1 */
           "mov (%rsi), %rdi\n\t"         /* argv[1]; NULL fails with EFAULT */
           "mov $59, %eax\n\t"            /* execve */
           "syscall\n\t"
           "mov $127, %edi\n\t"
           "mov $60, %eax\n\t" /* exit */
           "syscall");
}
