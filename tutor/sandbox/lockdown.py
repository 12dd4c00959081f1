"""The kernel layers of the sandbox, applied by the harness to its own process on Linux.

Loaded by the harness from this file's path (the harness runs with `-I` and imports nothing
from `tutor`), so: standard library, plus the `landlock` and `pyseccomp` packages when present.
Each layer returns what it did, or why it could not; the harness reports both and carries on
with what holds. In the order the harness applies them:

1. `private_scratch`: a new user and mount namespace with a size- and inode-limited tmpfs over
   the run's folder. Everything the learner writes lives in that RAM disk, is bounded in total
   (not just per file, as RLIMIT_FSIZE is), and vanishes when the process ends. Needs
   unprivileged user namespaces (most distributions; some disable them).
2. `close_other_fds`: nothing inherited beyond stdin/stdout/stderr and the result pipe.
3. `restrict_filesystem` (Landlock): read-only on the Python installation and system
   libraries, read-write on the run's folder only; everything else (`/etc/passwd`, `~/.ssh`,
   `/proc/<pid>/environ`) refuses access. Without a private scratch the run's folder is on the
   real disk, so there it may not create files at all: the only bound that then holds.
4. `filter_syscalls` (seccomp): no exec, no new processes (threads stay allowed), no signals or
   tracing of other processes, no sockets, no namespace or mount changes.
"""

from __future__ import annotations

import ctypes
import errno
import os
import sys

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_THREAD = 0x00010000
MS_NOSUID, MS_NODEV, MS_NOEXEC = 0x2, 0x4, 0x8

# Read-only for the learner: the interpreter, its standard library and site-packages (numpy),
# and the shared libraries they load. Everything else on the machine is out of sight.
SYSTEM_READ_PATHS = ("/usr", "/lib", "/lib64", "/lib32", "/etc/ld.so.cache", "/dev/null", "/dev/zero", "/dev/urandom")

# Refused with EPERM. The default is to allow: Python and numpy use a wide, version-dependent
# set of calls, and these are the ones that reach outside the process.
DENIED_SYSCALLS = (
    # other programs and processes
    "execve", "execveat", "fork", "vfork", "ptrace", "process_vm_readv", "process_vm_writev",
    "pidfd_open", "pidfd_getfd", "pidfd_send_signal", "rt_sigqueueinfo", "rt_tgsigqueueinfo",
    "setsid", "setpgid", "kcmp",
    # the network and other machines' services
    "socket", "socketpair", "connect", "bind", "listen", "accept", "accept4",
    # the filesystem layout and namespaces (Landlock also forbids mounts)
    "mount", "umount2", "pivot_root", "chroot", "unshare", "setns", "open_tree", "move_mount",
    "fsopen", "fsmount", "fsconfig", "fspick", "mount_setattr", "name_to_handle_at", "open_by_handle_at",
    # kernel facilities a learner never needs and that widen the attack surface
    "bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
    "keyctl", "add_key", "request_key", "personality", "init_module", "finit_module", "delete_module",
    "kexec_load", "kexec_file_load", "reboot", "swapon", "swapoff", "acct", "quotactl",
    "syslog", "sethostname", "setdomainname", "settimeofday", "clock_settime", "clock_adjtime",
)


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"{what}: {os.strerror(code)}")


def load_bindings() -> None:
    """Import the layers' packages while files can still be read.

    pyseccomp finds libc and libseccomp with `ctypes.util.find_library`, which runs `ldconfig`
    in a subprocess (about 0.1 s per run); their sonames load directly, so try those first.
    """
    import ctypes.util

    original = ctypes.util.find_library
    sonames = {"c": "libc.so.6", "seccomp": "libseccomp.so.2"}

    def find_library(name: str):
        soname = sonames.get(name)
        if soname is not None:
            try:
                ctypes.CDLL(soname)
                return soname
            except OSError:
                pass
        return original(name)

    ctypes.util.find_library = find_library
    try:
        for name in ("landlock", "pyseccomp"):
            try:
                __import__(name)
            except Exception:  # reported when the layer that needs it is applied
                pass
    finally:
        ctypes.util.find_library = original


def private_scratch(folder: str, size_mb: int, max_files: int) -> str:
    """Mount a tmpfs of `size_mb` MB and `max_files` inodes over `folder`, in a private namespace.

    Must run while the process has one thread. Raises OSError when user namespaces are not
    available. The caller's working directory is moved onto the new mount.
    """
    uid, gid = os.getuid(), os.getgid()
    libc = _libc()
    _check(libc.unshare(CLONE_NEWUSER | CLONE_NEWNS), "unshare")
    # Map our own ids into the namespace (root inside, us outside): no new rights outside it.
    with open("/proc/self/setgroups", "w") as f:
        f.write("deny")
    with open("/proc/self/uid_map", "w") as f:
        f.write(f"0 {uid} 1")
    with open("/proc/self/gid_map", "w") as f:
        f.write(f"0 {gid} 1")
    options = f"size={int(size_mb)}m,nr_inodes={int(max_files)},mode=0700".encode()
    _check(libc.mount(b"tmpfs", folder.encode(), b"tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, options), "mount")
    os.chdir(folder)  # the old working directory is the folder under the mount
    return f"private scratch: tmpfs {size_mb} MB, {max_files} files"


def close_other_fds(keep: tuple[int, ...]) -> str:
    """Close every descriptor above stderr except `keep`."""
    keep_sorted = sorted(fd for fd in set(keep) if fd > 2)
    low = 3
    for fd in keep_sorted:
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, 1 << 16)
    return "descriptors: stdin, stdout, stderr and the result pipe only"


def restrict_filesystem(read_paths: list[str], write_dir: str, may_create: bool) -> str:
    """Landlock: read `read_paths`, read and write in `write_dir`, nothing else. Raises on failure."""
    from landlock import FSAccess, Ruleset, landlock_abi_version

    abi = landlock_abi_version()
    ruleset = Ruleset()  # handles every filesystem right this ABI knows: unlisted means refused
    read_dir = FSAccess.READ_FILE | FSAccess.READ_DIR
    for path in dict.fromkeys(read_paths):
        if not os.path.exists(path):
            continue
        # Directory rights on a regular file are an EINVAL: a file gets file rights only.
        ruleset.allow(path, rules=read_dir if os.path.isdir(path) else FSAccess.READ_FILE)
    write = read_dir | FSAccess.WRITE_FILE | FSAccess.REMOVE_FILE
    if abi >= 3:
        write |= FSAccess.TRUNCATE
    if may_create:
        write |= FSAccess.MAKE_REG | FSAccess.MAKE_DIR | FSAccess.REMOVE_DIR
    ruleset.allow(write_dir, rules=write)
    ruleset.apply()
    created = "may create files there" if may_create else "may not create files there"
    return f"landlock (ABI {abi}): read-only on Python and system libraries, writes only in the run's folder, {created}"


def filter_syscalls() -> str:
    """seccomp: refuse the calls that reach outside this process. Raises on failure."""
    import pyseccomp as seccomp

    pid = os.getpid()
    flt = seccomp.SyscallFilter(seccomp.ALLOW)
    for name in DENIED_SYSCALLS:
        try:
            flt.add_rule(seccomp.ERRNO(errno.EPERM), name)
        except (OSError, RuntimeError, ValueError):  # a call this kernel or libseccomp does not know
            continue
    # Threads yes (numpy and glibc use them), processes no: clone must carry CLONE_THREAD.
    flt.add_rule(seccomp.ERRNO(errno.EPERM), "clone", seccomp.Arg(0, seccomp.MASKED_EQ, CLONE_THREAD, 0))
    # clone3 passes its flags in memory, which seccomp cannot read; ENOSYS makes glibc fall back to clone.
    flt.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
    # Signals to itself only (SIGALRM for the timer, abort() on a crash).
    flt.add_rule(seccomp.ERRNO(errno.EPERM), "kill", seccomp.Arg(0, seccomp.NE, pid))
    flt.add_rule(seccomp.ERRNO(errno.EPERM), "tgkill", seccomp.Arg(0, seccomp.NE, pid))
    flt.add_rule(seccomp.ERRNO(errno.EPERM), "tkill", seccomp.Arg(0, seccomp.NE, pid))
    # Limits stay as set: reading them is fine, raising them (root outside a user namespace could) is not.
    flt.add_rule(seccomp.ERRNO(errno.EPERM), "setrlimit")
    flt.add_rule(seccomp.ERRNO(errno.EPERM), "prlimit64", seccomp.Arg(2, seccomp.NE, 0))
    flt.load()  # also sets no_new_privs
    return "seccomp: no exec, no new processes, no signals to others, no sockets, no mounts, no raised limits"


def python_read_paths() -> list[str]:
    """Where this interpreter and its packages live."""
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
             os.path.dirname(os.path.realpath(sys.executable))}
    for name in ("numpy",):
        module = sys.modules.get(name)
        if module is not None and getattr(module, "__file__", None):
            paths.add(os.path.dirname(os.path.dirname(os.path.realpath(module.__file__))))
    return sorted(paths) + list(SYSTEM_READ_PATHS)
