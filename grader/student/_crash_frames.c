/* Tells where compiled student code crashed: loaded into the worker (Linux, glibc) before the student's library.
 *
 * grader_crash_frames_install() installs a handler for the signals a crash raises (SIGSEGV, SIGBUS, SIGFPE,
 * SIGILL, SIGABRT) on a stack of its own (a stack overflow leaves none).  The handler writes one line to
 * standard error, which the grader reads among the worker's last words and removes from the output it shows:
 *
 *     <RS>grader-crash SIGNAL LIBRARY+0xOFFSET LIBRARY+0xOFFSET ...
 *
 * (<RS>: the byte 0x1e), where the first is the instruction that faulted ("?" where it cannot be read) and the
 * others are the return addresses of the calls that led there, innermost first, each as the file name of the library that holds it and its offset in
 * it; the grader maps the first one in the student's library to a line of their source with addr2line (the
 * library is built with -g).  Then the handler puts back the action the signal had before and returns: the
 * faulting instruction runs again (abort() raises again) and the process ends by the same signal as it would
 * have without this library, so the grader's verdict is unchanged but for the line.
 *
 * A program (not a library) gets it with LD_PRELOAD and GRADER_CRASH_FRAMES set in its environment: installed
 * then when it is loaded, before the program's main.
 *
 * Only async-signal-safe calls in the handler, but for backtrace() and dladdr(), which are in practice (the
 * unwinder is loaded at install time by a first backtrace(), so that none is loaded in the handler).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#define FRAMES 24 /* the line stays shorter than the unfinished line the grader holds back (_CARRY, 1 KB) */
static const int SIGNALS[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
#define COUNT (sizeof SIGNALS / sizeof SIGNALS[0])
static struct sigaction previous[COUNT];
static char line[8192];
static size_t used;

static void put(const char *text) {
    size_t length = strlen(text);
    if (used + length < sizeof line - 2) {
        memcpy(line + used, text, length);
        used += length;
    }
}

static void put_hex(uintptr_t value) {
    char digits[2 * sizeof value + 3];
    int at = sizeof digits;
    digits[--at] = '\0';
    do {
        digits[--at] = "0123456789abcdef"[value & 15];
        value >>= 4;
    } while (value);
    digits[--at] = 'x';
    digits[--at] = '0';
    put(digits + at);
}

static void put_frame(void *address) {
    Dl_info info;
    if (!address || !dladdr(address, &info) || !info.dli_fname || !info.dli_fbase) {
        put(" ?");
        return;
    }
    const char *name = strrchr(info.dli_fname, '/');
    put(" ");
    put(name ? name + 1 : info.dli_fname);
    put("+");
    put_hex((uintptr_t)address - (uintptr_t)info.dli_fbase);
}

static const char *signal_name(int number) {
    switch (number) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    default: return "SIGABRT";
    }
}

static void *faulting_instruction(void *context) {
    ucontext_t *state = context;
    if (!state) return NULL;
#if defined(__x86_64__)
    return (void *)state->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
    return (void *)state->uc_mcontext.pc;
#else
    return NULL;
#endif
}

static void handler(int number, siginfo_t *info, void *context) {
    (void)info;
    void *frames[FRAMES];
    int count = backtrace(frames, FRAMES);
    used = 0;
    put("\n\036grader-crash ");
    put(signal_name(number));
    void *pc = faulting_instruction(context);
    if (pc) {
        put_frame(pc);
    } else {
        put(" ?");
    }
    for (int i = 1; i < count; i++) put_frame(frames[i]);
    put("\n");
    ssize_t ignored = write(2, line, used);
    (void)ignored;
    for (size_t i = 0; i < COUNT; i++) {
        if (SIGNALS[i] == number) sigaction(number, &previous[i], NULL);
    }
}

int grader_crash_frames_install(void) {
    static char stack[1 << 16];
    stack_t alternate = {.ss_sp = stack, .ss_size = sizeof stack, .ss_flags = 0};
    void *warm[2];
    backtrace(warm, 2); /* loads the unwinder now, not in the handler */
    if (sigaltstack(&alternate, NULL) != 0) return -1;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = handler;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < COUNT; i++) {
        if (sigaction(SIGNALS[i], &action, &previous[i]) != 0) return -1;
    }
    return 0;
}

__attribute__((constructor)) static void install_in_a_program(void) {
    if (getenv("GRADER_CRASH_FRAMES")) grader_crash_frames_install();
}
