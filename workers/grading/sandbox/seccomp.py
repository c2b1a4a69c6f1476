"""A hand-built classic BPF seccomp deny-list, loaded by bubblewrap through `--seccomp FD`.

Deny-list rather than allow-list: candidates run arbitrary PyTorch/JAX code whose syscall
footprint (CUDA drivers, XLA thread pools) is large and changes between releases. What is
refused is the kernel surface a grading job never needs and that sandbox escapes are built
from: tracing other processes, namespaces and mounts, keyrings, BPF, io_uring, module and
kexec loading, clock and host administration, and exotic socket families.

No libseccomp: the program is small enough to assemble here, and one dependency fewer is one
thing fewer to be missing on a GPU host.
"""

from __future__ import annotations

import errno
import os
import struct
from dataclasses import dataclass

# struct seccomp_data: int nr; u32 arch; u64 instruction_pointer; u64 args[6]
_NR_OFFSET = 0
_ARCH_OFFSET = 4


def _arg_low(index: int) -> int:
    # Both supported architectures are little-endian: the low word of args[i] comes first.
    return 16 + 8 * index


# Classic BPF opcodes (linux/filter.h).
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_JSET_K = 0x45
_JA = 0x05
_RET_K = 0x06

RET_KILL_PROCESS = 0x80000000
RET_ALLOW = 0x7FFF0000


def ret_errno(code: int) -> int:
    return 0x00050000 | (code & 0xFFFF)


AUDIT_ARCH_X86_64 = 0xC000003E
AUDIT_ARCH_AARCH64 = 0xC00000B7
X32_SYSCALL_BIT = 0x40000000

# Every namespace flag clone() accepts. CLONE_NEWTIME (0x80) is only reachable through
# clone3 and unshare, both refused outright.
CLONE_NAMESPACE_FLAGS = (
    0x00020000  # CLONE_NEWNS
    | 0x02000000  # CLONE_NEWCGROUP
    | 0x04000000  # CLONE_NEWUTS
    | 0x08000000  # CLONE_NEWIPC
    | 0x10000000  # CLONE_NEWUSER
    | 0x20000000  # CLONE_NEWPID
    | 0x40000000  # CLONE_NEWNET
)

# AF_UNIX, AF_INET, AF_INET6, AF_NETLINK. Inside the empty network namespace these reach
# nothing outside; AF_NETLINK stays because glibc's getifaddrs() (used by torch.distributed
# and some XLA code paths) needs NETLINK_ROUTE, and without a user namespace the sandbox has
# no CAP_NET_ADMIN to reach nf_tables through it. Every other family (AF_VSOCK to the
# hypervisor, AF_PACKET, AF_ALG, AF_RDS, AF_TIPC, AF_BLUETOOTH, ...) is refused: they are
# where socket-layer kernel bugs have historically been found.
ALLOWED_SOCKET_FAMILIES = (1, 2, 10, 16)

# personality(): the query value and the plain Linux personalities (as Docker's profile
# allows). Refused are flags such as ADDR_NO_RANDOMIZE or READ_IMPLIES_EXEC that weaken
# ASLR or NX for anything the payload execs.
ALLOWED_PERSONALITIES = (0x0, 0x8, 0x20000, 0x20008, 0xFFFFFFFF)

# Refused with EPERM, per architecture. Numbers from asm/unistd_64.h and
# asm-generic/unistd.h (a test checks them against the installed headers).
DENIED_NAMES = (
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
    "unshare", "setns", "mount", "umount2", "pivot_root", "chroot",
    "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr",
    "keyctl", "add_key", "request_key",
    "bpf", "perf_event_open", "userfaultfd", "fanotify_init",
    "io_uring_setup", "io_uring_enter", "io_uring_register",
    "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
    "open_by_handle_at", "name_to_handle_at",
    "reboot", "swapon", "swapoff", "acct", "quotactl", "quotactl_fd", "syslog",
    "settimeofday", "clock_settime", "clock_adjtime", "adjtimex",
    "sethostname", "setdomainname", "vhangup", "lookup_dcookie",
    "iopl", "ioperm", "modify_ldt", "uselib", "_sysctl", "nfsservctl",
)  # fmt: skip

SYSCALLS_X86_64 = {
    "ptrace": 101, "process_vm_readv": 310, "process_vm_writev": 311, "kcmp": 312,
    "pidfd_getfd": 438, "unshare": 272, "setns": 308, "mount": 165, "umount2": 166,
    "pivot_root": 155, "chroot": 161, "open_tree": 428, "move_mount": 429, "fsopen": 430,
    "fsconfig": 431, "fsmount": 432, "fspick": 433, "mount_setattr": 442, "keyctl": 250,
    "add_key": 248, "request_key": 249, "bpf": 321, "perf_event_open": 298,
    "userfaultfd": 323, "fanotify_init": 300, "io_uring_setup": 425, "io_uring_enter": 426,
    "io_uring_register": 427, "kexec_load": 246, "kexec_file_load": 320, "init_module": 175,
    "finit_module": 313, "delete_module": 176, "open_by_handle_at": 304,
    "name_to_handle_at": 303, "reboot": 169, "swapon": 167, "swapoff": 168, "acct": 163,
    "quotactl": 179, "quotactl_fd": 443, "syslog": 103, "settimeofday": 164,
    "clock_settime": 227, "clock_adjtime": 305, "adjtimex": 159, "sethostname": 170,
    "setdomainname": 171, "vhangup": 153, "lookup_dcookie": 212, "iopl": 172, "ioperm": 173,
    "modify_ldt": 154, "uselib": 134, "_sysctl": 156, "nfsservctl": 180,
    "clone": 56, "clone3": 435, "socket": 41, "socketpair": 53, "personality": 135,
}  # fmt: skip

# aarch64 uses the generic table; it has no iopl, ioperm, modify_ldt, uselib or _sysctl.
SYSCALLS_AARCH64 = {
    "ptrace": 117, "process_vm_readv": 270, "process_vm_writev": 271, "kcmp": 272,
    "pidfd_getfd": 438, "unshare": 97, "setns": 268, "mount": 40, "umount2": 39,
    "pivot_root": 41, "chroot": 51, "open_tree": 428, "move_mount": 429, "fsopen": 430,
    "fsconfig": 431, "fsmount": 432, "fspick": 433, "mount_setattr": 442, "keyctl": 219,
    "add_key": 217, "request_key": 218, "bpf": 280, "perf_event_open": 241,
    "userfaultfd": 282, "fanotify_init": 262, "io_uring_setup": 425, "io_uring_enter": 426,
    "io_uring_register": 427, "kexec_load": 104, "kexec_file_load": 294, "init_module": 105,
    "finit_module": 273, "delete_module": 106, "open_by_handle_at": 265,
    "name_to_handle_at": 264, "reboot": 142, "swapon": 224, "swapoff": 225, "acct": 89,
    "quotactl": 60, "quotactl_fd": 443, "syslog": 116, "settimeofday": 170,
    "clock_settime": 112, "clock_adjtime": 266, "adjtimex": 171, "sethostname": 161,
    "setdomainname": 162, "vhangup": 58, "lookup_dcookie": 18, "nfsservctl": 42,
    "clone": 220, "clone3": 435, "socket": 198, "socketpair": 199, "personality": 92,
}  # fmt: skip


@dataclass(frozen=True)
class Insn:
    code: int
    k: int = 0
    jt: int = 0
    jf: int = 0

    def pack(self) -> bytes:
        return struct.pack("=HBBI", self.code, self.jt, self.jf, self.k & 0xFFFFFFFF)


def _ret(action: int) -> Insn:
    return Insn(_RET_K, action)


def _load(offset: int) -> Insn:
    return Insn(_LD_W_ABS, offset)


def _deny(nr: int, action: int) -> list[Insn]:
    # "if nr == N: return action" in two instructions, so no jump ever exceeds 255.
    return [Insn(_JEQ_K, nr, 0, 1), _ret(action)]


def _guarded(nr: int, body: list[Insn]) -> list[Insn]:
    # The body reloads the accumulator, so it must end in a return on every path.
    return [Insn(_JEQ_K, nr, 0, len(body)), *body]


def _allow_values(nr: int, arg: int, allowed: tuple[int, ...], action: int) -> list[Insn]:
    """Allow syscall `nr` only when the low word of argument `arg` is one of `allowed`."""
    body = [_load(_arg_low(arg))]
    for i, value in enumerate(allowed):
        body.append(Insn(_JEQ_K, value, len(allowed) - i, 0))  # jump to the final allow
    body += [_ret(action), _ret(RET_ALLOW)]
    return _guarded(nr, body)


def _deny_flags(nr: int, arg: int, flags: int, action: int) -> list[Insn]:
    body = [_load(_arg_low(arg)), Insn(_JSET_K, flags, 0, 1), _ret(action), _ret(RET_ALLOW)]
    return _guarded(nr, body)


def arch_rules(table: dict[str, int], x32_check: bool) -> list[Insn]:
    """The rules for one architecture, ending in `return ALLOW`."""
    eperm = ret_errno(errno.EPERM)
    rules = [_load(_NR_OFFSET)]
    if x32_check:  # x32 syscalls share the x86_64 arch value; nothing here uses that ABI
        rules += [Insn(_JGE_K, X32_SYSCALL_BIT, 0, 1), _ret(RET_KILL_PROCESS)]
    for name in DENIED_NAMES:
        if name in table:
            rules += _deny(table[name], eperm)
    # clone3 passes its flags in memory that BPF cannot read: ENOSYS makes glibc fall
    # back to clone(), whose flags are checked below.
    rules += _deny(table["clone3"], ret_errno(errno.ENOSYS))
    rules += _deny_flags(table["clone"], 0, CLONE_NAMESPACE_FLAGS, eperm)
    rules += _allow_values(table["socket"], 0, ALLOWED_SOCKET_FAMILIES, eperm)
    rules += _allow_values(table["socketpair"], 0, ALLOWED_SOCKET_FAMILIES, eperm)
    rules += _allow_values(table["personality"], 0, ALLOWED_PERSONALITIES, eperm)
    return [*rules, _ret(RET_ALLOW)]


def program() -> list[Insn]:
    """Dispatch on the audit arch; any other arch (i386 via int 0x80, for one) is killed."""
    insns = [_load(_ARCH_OFFSET)]
    for arch, table, x32 in (
        (AUDIT_ARCH_X86_64, SYSCALLS_X86_64, True),
        (AUDIT_ARCH_AARCH64, SYSCALLS_AARCH64, False),
    ):
        block = arch_rules(table, x32)
        # Skip the unconditional jump when the arch matches; `ja` has a 32-bit offset.
        insns += [Insn(_JEQ_K, arch, 1, 0), Insn(_JA, len(block)), *block]
    return [*insns, _ret(RET_KILL_PROCESS)]


_PROGRAM_BYTES: bytes | None = None


def program_bytes() -> bytes:
    global _PROGRAM_BYTES
    if _PROGRAM_BYTES is None:
        _PROGRAM_BYTES = b"".join(insn.pack() for insn in program())
    return _PROGRAM_BYTES


def data_fd(data: bytes, name: str) -> int:
    """An in-memory file holding `data`, positioned at 0, for bwrap to read and close."""
    fd = os.memfd_create(name, os.MFD_CLOEXEC)
    try:
        os.write(fd, data)
        os.lseek(fd, 0, os.SEEK_SET)
    except BaseException:
        os.close(fd)
        raise
    return fd


def program_fd() -> int:
    return data_fd(program_bytes(), "dojo-seccomp")
