# labgate's agent in a learner's sandbox: runs as the learner, inside their container, on their folder
# only. Requests come on stdin and answers go to stdout, each a JSON line followed by `bytes` raw bytes.
# Standard library only; started as `python3 -I -S -c <this> <work folder>`, so nothing of the
# learner's (PYTHONPATH, site packages, files in the folder) is imported.
import json
import os
import resource
import stat
import subprocess
import sys
import threading

ROOT = os.path.realpath(sys.argv[1])
IN = sys.stdin.buffer
OUT = sys.stdout.buffer
BASE_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LC_ALL": "C", "HOME": "/nonexistent"}
STDERR_CAP = 64 * 1024


class Refused(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def inside(rel):
    """The absolute path of a folder-relative one, refused if it leaves the folder."""
    if not isinstance(rel, str) or "\0" in rel or rel.startswith("/"):
        raise Refused("bad_path", "not a relative path")
    parts = [p for p in rel.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise Refused("bad_path", "path leaves the folder")
    full = os.path.join(ROOT, *parts)
    parent = os.path.realpath(os.path.dirname(full)) if parts else ROOT
    if parent != ROOT and not parent.startswith(ROOT + "/"):
        raise Refused("bad_path", "path goes through a link out of the folder")
    return full


def kind(mode):
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "dir"
    if stat.S_ISLNK(mode):
        return "link"
    return "other"


def drain(pipe, cap, sink):
    size = 0
    while True:
        chunk = pipe.read(65536)
        if not chunk:
            break
        if size < cap:
            sink.append(chunk[: cap - size])
        size += len(chunk)
    sink.append(size > cap)


def op_run(req, payload):
    fsize = req.get("fsize")

    def limits():
        if fsize:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    env = dict(BASE_ENV)
    env.update({str(k): str(v) for k, v in (req.get("env") or {}).items()})
    try:
        child = subprocess.Popen(
            [str(a) for a in req["argv"]],
            cwd=inside(req.get("cwd", ".")),
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            preexec_fn=limits,
            start_new_session=True,
        )
    except FileNotFoundError:
        return {"code": 127, "stderr": "%s: not found" % req["argv"][0]}, b""
    out, err = [], []
    readers = [
        threading.Thread(target=drain, args=(child.stdout, int(req.get("max", 64 << 20)), out)),
        threading.Thread(target=drain, args=(child.stderr, STDERR_CAP, err)),
    ]
    for r in readers:
        r.start()
    try:
        child.stdin.write(payload)
    except BrokenPipeError:
        pass
    child.stdin.close()
    timed_out = False
    try:
        child.wait(timeout=float(req.get("timeout", 120)))
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(child.pid, 9)
        child.wait()
    for r in readers:
        r.join()
    stdout = b"".join(out[:-1])
    answer = {
        "code": child.returncode,
        "stderr": b"".join(err[:-1]).decode("utf-8", "replace"),
        "truncated": out[-1],
        "timedOut": timed_out,
    }
    return answer, stdout


def op_read(req, _):
    full = inside(req["path"])
    try:
        fd = os.open(full, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return {"found": False}, b""
    except OSError as e:
        raise Refused("unreadable", e.strerror)
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise Refused("not_a_file", "not a regular file")
        data = f.read(int(req["max"]) + 1)
    if len(data) > int(req["max"]):
        raise Refused("too_big", "larger than %d bytes" % int(req["max"]))
    return {"found": True}, data


def op_write(req, payload):
    full = inside(req["path"])
    mode = 0o644
    try:
        st = os.lstat(full)
        if stat.S_ISREG(st.st_mode):
            mode = stat.S_IMODE(st.st_mode)
        elif stat.S_ISDIR(st.st_mode):
            raise Refused("is_a_dir", "a folder is in the way")
    except FileNotFoundError:
        pass
    os.makedirs(os.path.dirname(full), exist_ok=True)
    temp = "%s.labgate-%d.tmp" % (full, os.getpid())
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
        os.chmod(temp, mode)
        os.replace(temp, full)  # replaces a link itself, never what it points to
    except BaseException:
        if os.path.lexists(temp):
            os.unlink(temp)
        raise
    return {}, b""


def op_stat(req, _):
    try:
        st = os.lstat(inside(req["path"]))
    except FileNotFoundError:
        return {"found": False}, b""
    return {"found": True, "type": kind(st.st_mode), "size": st.st_size}, b""


def op_rename(req, _):
    source, target = inside(req["from"]), inside(req["to"])
    if os.path.lexists(target):
        raise Refused("exists", "the new name is taken")
    os.makedirs(os.path.dirname(target), exist_ok=True)
    os.rename(source, target)
    return {}, b""


def op_list(req, _):
    full = inside(req.get("path", "."))
    names = sorted(os.listdir(full)) if os.path.isdir(full) and not os.path.islink(full) else []
    return {"names": names}, b""


def op_usage(req, _):
    """Bytes the folder takes on disk, its biggest top-level entries, and its file system's room."""
    sizes = {}
    for name in os.listdir(ROOT):
        total = 0
        top = os.path.join(ROOT, name)
        stack = [top]
        while stack:
            path = stack.pop()
            try:
                st = os.lstat(path)
            except OSError:
                continue
            total += st.st_blocks * 512
            if stat.S_ISDIR(st.st_mode):
                try:
                    stack.extend(os.path.join(path, n) for n in os.listdir(path))
                except OSError:
                    pass
        sizes[name] = total
    fs = os.statvfs(ROOT)
    biggest = sorted(sizes.items(), key=lambda kv: -kv[1])[: int(req.get("top", 5))]
    answer = {
        "usedBytes": sum(sizes.values()),
        "fsBytes": fs.f_blocks * fs.f_frsize,
        "fsFreeBytes": fs.f_bavail * fs.f_frsize,
        "biggest": [{"path": k, "bytes": v} for k, v in biggest],
    }
    return answer, b""


OPS = {
    "run": op_run,
    "read": op_read,
    "write": op_write,
    "stat": op_stat,
    "rename": op_rename,
    "list": op_list,
    "usage": op_usage,
}


def read_exact(n):
    chunks = []
    while n > 0:
        chunk = IN.read(n)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def answer(header, payload):
    header["bytes"] = len(payload)
    OUT.write(json.dumps(header).encode() + b"\n")
    OUT.write(payload)
    OUT.flush()


def main():
    answer({"ready": True, "root": ROOT, "uid": os.getuid()}, b"")
    while True:
        line = IN.readline()
        if not line:
            return
        req = json.loads(line)
        payload = read_exact(int(req.get("bytes", 0)))
        try:
            header, data = OPS[req["op"]](req, payload)
            header["ok"] = True
        except Refused as e:
            header, data = {"ok": False, "code": e.code, "error": str(e)}, b""
        except OSError as e:
            header, data = {"ok": False, "code": "os_error", "error": e.strerror or str(e)}, b""
        header["id"] = req.get("id")
        answer(header, data)


main()
