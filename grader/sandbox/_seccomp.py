"""A seccomp filter for the worker: system calls that student code has no use for fail with EPERM.

Denied: creating any socket but a local (AF_UNIX) stream one, connecting or binding any
socket, sending to an address (``sendto`` with a destination), io_uring (which could open connections behind the filter's back), tracing
or reading other processes' memory, kernel keyrings, BPF, perf events,
userfaultfd, namespaces and mounts, opening files by handle, and giving up the
child-subreaper role that keeps detached children findable; for a worker that
keeps user id 0, also every change of file metadata.  Calls of foreign
ABIs (32-bit, x32) kill the process: the filter cannot vouch for them.

Unix sockets: a datagram or seqpacket socket can reach a socket outside the worker by its path
(``/dev/log``, journald, any world-writable datagram socket) without ``connect``, through
``sendto`` or ``sendmsg`` with a destination, and Landlock does not cover socket paths on every
kernel.  So ``socket`` and ``socketpair`` make only AF_UNIX *stream* sockets, on which a
destination address is refused by the kernel itself (``sendmsg`` cannot be inspected by a
filter: its address is behind a pointer), and ``sendto`` with a destination is denied on any
socket.  Stream socket pairs among the worker's own processes still work.
"""

from __future__ import annotations

import ctypes
import struct

from grader.sandbox._linux import PR_SET_CHILD_SUBREAPER, PR_SET_SECCOMP, machine, prctl, set_no_new_privs

__all__ = ["install", "supported"]

_AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
_SOCKET = {"x86_64": 41, "aarch64": 198}
_SOCKETPAIR = {"x86_64": 53, "aarch64": 199}
_SENDTO = {"x86_64": 44, "aarch64": 206}
_PRCTL = {"x86_64": 157, "aarch64": 167}
_DENIED = {
    # connect, bind, ptrace, process_vm_readv/writev, keyctl, add_key, request_key, bpf, perf_event_open,
    # userfaultfd, unshare, setns, mount, umount2, pivot_root, open_by_handle_at, kexec_load
    "x86_64": (42, 49, 101, 310, 311, 250, 248, 249, 321, 298, 323, 272, 308, 165, 166, 155, 304, 246),
    "aarch64": (203, 200, 117, 270, 271, 219, 217, 218, 280, 241, 282, 97, 268, 40, 39, 41, 265, 104),
}
# chmod, chown, utime and extended-attribute calls: Landlock does not cover changes of metadata, so a
# worker that keeps user id 0 (owner of the course's files) must not make them at all.
_METADATA = {
    "x86_64": (90, 91, 92, 93, 94, 260, 268, 452, 132, 235, 261, 280, 188, 189, 190, 197, 198, 199, 463, 466),
    "aarch64": (52, 53, 54, 55, 88, 5, 6, 7, 14, 15, 16, 452, 463, 466),
}
_IO_URING = (425, 426, 427)  # io_uring_setup, io_uring_enter, io_uring_register: the same everywhere
_X32_BIT = 0x40000000
_AF_UNIX = 1
_SOCK_STREAM = 1
_SOCK_TYPE_MASK = 0xF  # the type without SOCK_NONBLOCK and SOCK_CLOEXEC
_EPERM = 1

_LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_JGE_K = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_AND_K = 0x54  # BPF_ALU | BPF_AND | BPF_K
_RET_K = 0x06  # BPF_RET | BPF_K
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_RET_KILL_PROCESS = 0x80000000
_SECCOMP_MODE_FILTER = 2
_NR, _ARCH, _ARG0 = 0, 4, 16  # offsets in struct seccomp_data (little-endian low word of args[0])
_ARG1 = _ARG0 + 8  # low word of args[1]
_ARG4_LOW, _ARG4_HIGH = _ARG0 + 32, _ARG0 + 36  # both words of args[4] (sendto's destination)


def supported() -> bool:
    return machine() in _AUDIT_ARCH


def _program(arch: str, *, metadata: bool) -> list[tuple[int, int, int, int]]:
    deny = _RET_ERRNO | _EPERM
    denied = _DENIED[arch] + _IO_URING + (_METADATA[arch] if metadata else ())
    program: list[tuple[int, int, int, int]] = [
        (_LD_W_ABS, 0, 0, _ARCH),
        (_JEQ_K, 1, 0, _AUDIT_ARCH[arch]),
        (_RET_K, 0, 0, _RET_KILL_PROCESS),
        (_LD_W_ABS, 0, 0, _NR),
    ]
    if arch == "x86_64":
        program += [(_JGE_K, 0, 1, _X32_BIT), (_RET_K, 0, 0, _RET_KILL_PROCESS)]
    for number in denied:
        program += [(_JEQ_K, 0, 1, number), (_RET_K, 0, 0, deny)]
    # socket(domain, type, ...) and socketpair(domain, type, ...): only AF_UNIX, SOCK_STREAM
    for number in (_SOCKET[arch], _SOCKETPAIR[arch]):
        program += [
            (_JEQ_K, 0, 6, number),
            (_LD_W_ABS, 0, 0, _ARG0),
            (_JEQ_K, 0, 3, _AF_UNIX),
            (_LD_W_ABS, 0, 0, _ARG1),
            (_AND_K, 0, 0, _SOCK_TYPE_MASK),
            (_JEQ_K, 1, 0, _SOCK_STREAM),
            (_RET_K, 0, 0, deny),
            (_LD_W_ABS, 0, 0, _NR),
        ]
    # sendto(fd, buf, len, flags, dest_addr, addrlen): only without a destination (send() is sendto with NULL)
    program += [
        (_JEQ_K, 0, 5, _SENDTO[arch]),
        (_LD_W_ABS, 0, 0, _ARG4_LOW),
        (_JEQ_K, 0, 2, 0),
        (_LD_W_ABS, 0, 0, _ARG4_HIGH),
        (_JEQ_K, 1, 0, 0),
        (_RET_K, 0, 0, deny),
        (_LD_W_ABS, 0, 0, _NR),
    ]
    # prctl(PR_SET_CHILD_SUBREAPER, ...): refused, the role must stay
    program += [
        (_JEQ_K, 0, 3, _PRCTL[arch]),
        (_LD_W_ABS, 0, 0, _ARG0),
        (_JEQ_K, 0, 1, PR_SET_CHILD_SUBREAPER),
        (_RET_K, 0, 0, deny),
        (_RET_K, 0, 0, _RET_ALLOW),
    ]
    return program


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def install(*, metadata: bool = False) -> str:
    """Install the filter on this process (inherited by its children); returns what it denies, in words.

    ``metadata=True`` also denies changing files' modes, owners, times and extended attributes.
    """
    arch = machine()
    if arch not in _AUDIT_ARCH:
        raise OSError(0, f"no seccomp filter for the {arch} architecture")
    program = _program(arch, metadata=metadata)
    blob = b"".join(struct.pack("<HBBI", *instruction) for instruction in program)
    buffer = ctypes.create_string_buffer(blob, len(blob))
    fprog = _SockFprog(len(program), ctypes.cast(buffer, ctypes.c_void_p))
    set_no_new_privs()
    prctl(PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(fprog), what="seccomp")
    denied = ("no network sockets, unix sockets other than stream ones, connect, bind, sendto an address, "
              "io_uring, ptrace, namespaces or mounts")
    return denied + (", no change of file modes, owners or times" if metadata else "")
