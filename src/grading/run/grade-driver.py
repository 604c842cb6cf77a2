# labgate's grading driver: runs as PID 1 of a fresh, confined container with no network. It reads a
# plan (one JSON line) and the submission (a tar of that many bytes) on stdin, runs each notebook cell
# by cell with nbclient, and after each question's block observes what labgate asked for: the block's
# outputs, the values of expressions, whether test code raised. It never sees expected values; labgate
# judges. JSON lines on stdout are the answer, each sent as soon as known. Learner code runs in the kernel, a child process that
# can reach neither this process (made non-dumpable) nor its stdout (the kernel's goes to /dev/null).
import ctypes, io, json, os, posixpath, signal, subprocess, sys, tarfile, time

ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE 0: /proc/1/{fd,mem} become root's
out = os.fdopen(os.dup(1), "w", encoding="utf-8")
os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # nothing but the answer reaches the real stdout

WORK = os.environ.get("LABGATE_WORK", "/home/learner/work")
started = time.monotonic()


def answer(obj):
    out.write(json.dumps(obj, ensure_ascii=True, allow_nan=False) + "\n")
    out.flush()


def read_exact(n):
    chunks, left = [], n
    while left > 0:
        b = sys.stdin.buffer.read(min(left, 1 << 20))
        if not b:
            raise EOFError("the submission ended early")
        chunks.append(b)
        left -= len(b)
    return b"".join(chunks)


def extract(data):
    """Regular files and folders only, inside WORK: no links, devices, absolute paths or '..'."""
    os.makedirs(WORK, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tar:
        for m in tar:
            name = posixpath.normpath(m.name)
            if name.startswith(("/", "..")) or name == "." or "/../" in f"/{name}/":
                continue
            dest = os.path.join(WORK, name)
            if m.isdir():
                os.makedirs(dest, exist_ok=True)
            elif m.isfile():
                os.makedirs(os.path.dirname(dest), exist_ok=True)
                src = tar.extractfile(m)
                fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
                with os.fdopen(fd, "wb") as f:
                    while True:
                        chunk = src.read(1 << 20)
                        if not chunk:
                            break
                        f.write(chunk)


# Defined in the kernel before any learner code: the originals it needs are bound now, so later
# monkeypatching of builtins, json or the display machinery does not change what it reports.
KERNEL_SETUP = r'''
def _labgate_make():
    import base64, builtins, json, math, sys
    from IPython.display import publish_display_data
    _type, _isinstance, _len, _repr, _str, _float, _int = type, isinstance, len, repr, str, float, int
    _list, _dict, _sorted, _range, _exc = list, dict, sorted, range, BaseException
    dumps, publish, mime = json.dumps, publish_display_data, "application/vnd.labgate.observation+json"
    budget = [0]
    def enc(v, depth):
        budget[0] += 1
        if depth > 50 or budget[0] > 200000:
            return {"$truncated": True}
        t = _type(v)
        if v is None or t is bool or t is _str:
            return v if t is not _str or _len(v) <= 1000000 else {"$truncated": True}
        if t is _int:
            return v if -2**53 < v < 2**53 else {"$repr": _repr(v)[:1000], "$type": "int"}
        if t is _float:
            if math.isnan(v): return {"$float": "nan"}
            if math.isinf(v): return {"$float": "inf" if v > 0 else "-inf"}
            return v
        if t is _list or t is tuple:
            return [enc(x, depth + 1) for x in v]
        if t is set or t is frozenset:
            return {"$set": [enc(x, depth + 1) for x in v]}
        if t is _dict:
            if all(_type(k) is _str and not k.startswith("$") for k in v):
                return {k: enc(x, depth + 1) for k, x in v.items()}
            return {"$dict": [[enc(k, depth + 1), enc(x, depth + 1)] for k, x in v.items()]}
        if t is bytes:
            return {"$bytes": base64.b64encode(v[:1000000]).decode()}
        mod = getattr(t, "__module__", "") or ""
        name = mod + "." + getattr(t, "__qualname__", "?")
        if mod == "numpy" and name in ("numpy.ndarray",) or (mod == "numpy" and hasattr(v, "item") and hasattr(v, "dtype")):
            try:
                return enc(v.tolist(), depth + 1)
            except _exc:
                pass
        if name == "pandas.core.frame.DataFrame":
            s = v.to_dict("split")
            return {"$frame": {"columns": enc(_list(s["columns"]), depth + 1), "index": enc(_list(s["index"]), depth + 1), "data": enc(s["data"], depth + 1)}}
        if name == "pandas.core.series.Series":
            return {"$series": {"index": enc(_list(v.index), depth + 1), "data": enc(v.tolist(), depth + 1)}}
        try:
            r = object.__repr__(v)
        except _exc:
            r = "?"
        return {"$repr": r[:1000], "$type": name[:200]}
    try:  # the kernel, and anything it forks, goes first when memory runs out, not the driver
        with open("/proc/self/oom_score_adj", "w") as f:
            f.write("1000")
    except OSError:
        pass
    def err(e):
        t = _type(e)
        mod = getattr(t, "__module__", "?")
        name = t.__name__ if mod == "builtins" else str(mod) + "." + t.__qualname__
        return {"ename": name[:200], "evalue": _str(e)[:2000] if mod == "builtins" else "?"}
    def value(thunk):
        budget[0] = 0
        try:
            seen = {"ok": True, "value": enc(thunk(), 0)}
        except _exc as e:
            seen = {"ok": False, "error": err(e)}
        publish({mime: seen})
    def test(code, ns):
        try:
            exec(compile(code, "<labgate test>", "exec"), ns)
            seen = {"ok": True}
        except _exc as e:
            seen = {"ok": False, "error": err(e)}
        publish({mime: seen})
    return value, test
_labgate_value, _labgate_test = _labgate_make()
del _labgate_make
'''

OBS = "application/vnd.labgate.observation+json"
# Value checks are evaluated by Python code in the kernel; other kernels get none.
UNSUPPORTED = {"ok": False, "error": {"ename": "Unsupported", "evalue": "value checks need a Python kernel"}}


def run_file(nbclient, nbformat, spec, plan, deadline):
    path = os.path.join(WORK, spec["path"])
    result = {"path": spec["path"], "notRun": None}
    stops = sorted(spec["stops"], key=lambda s: s["block"])
    if not stops:
        return result
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as e:  # the learner's file: anything can be wrong with it
        result["notRun"] = {"reason": "missing-block", "message": f"{spec['path']} could not be read as a notebook ({type(e).__name__})", "block": 0}
        return result
    cap = plan["output_bytes"]

    class Client(nbclient.NotebookClient):
        used = 0

        def output(self, outs, msg, display_id, cell_index):
            # 100 MB printed must not become 100 MB here: count, keep the first `cap` bytes.
            size = len(json.dumps(msg.get("content", {}).get("data") or msg.get("content", {}).get("text") or ""))
            Client.used += size
            if Client.used > cap:
                self.overflow = True
                return None
            return super().output(outs, msg, display_id, cell_index)

    client = Client(nb, timeout=plan["cell_s"], kernel_name=spec["kernel"], allow_errors=True,
                    interrupt_on_timeout=False, startup_timeout=60, record_timing=False,
                    resources={"metadata": {"path": os.path.dirname(path)}})
    client.overflow = False
    client.km = client.create_kernel_manager()
    client.km.transport = "ipc"
    client.km.ip = os.path.join("/tmp", "labgate-kernel")
    last = max(s["block"] for s in stops)

    def probe(source):
        # nbclient stores the executed cell at its index: the probe goes after the notebook's cells.
        cell = nbformat.v4.new_code_cell(source)
        nb.cells.append(cell)
        client.timeout = max(1, min(plan["cell_s"], deadline - time.monotonic()))
        try:
            client.execute_cell(cell, len(nb.cells) - 1, store_history=False)
        finally:
            nb.cells.pop()
        for o in cell.outputs:
            if o.get("output_type") == "display_data" and OBS in o.get("data", {}):
                return o["data"][OBS]
        return None

    def plain_test(code):
        # Another kernel than Python: the test is a cell of its own, failed by any error it shows.
        cell = nbformat.v4.new_code_cell(code)
        nb.cells.append(cell)
        client.timeout = max(1, min(plan["cell_s"], deadline - time.monotonic()))
        try:
            client.execute_cell(cell, len(nb.cells) - 1, store_history=False)
        finally:
            nb.cells.pop()
        error = outputs_of(cell)["error"]
        return {"ok": False, "error": error} if error else {"ok": True}

    def outputs_of(cell):
        seen = {"stdout": "", "stderr": "", "result": "", "error": None}
        for o in cell.get("outputs", []):
            t = o.get("output_type")
            if t == "stream":
                key = "stderr" if o.get("name") == "stderr" else "stdout"
                seen[key] += o.get("text", "")
            elif t in ("execute_result", "display_data"):
                text = o.get("data", {}).get("text/plain")
                if text is not None:
                    seen["result"] += (text if isinstance(text, str) else "".join(text)) + "\n"
            elif t == "error":
                seen["error"] = {"ename": str(o.get("ename", ""))[:200], "evalue": str(o.get("evalue", ""))[:2000]}
        return seen

    names = f"_lg{os.urandom(6).hex()}_"  # not guessable by code that ran before
    python = spec["kernel"].lower().startswith("python")
    block = -1
    try:
        with client.setup_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
            if python:
                probe(KERNEL_SETUP.replace("_labgate_", names))
            for block, cell in enumerate(list(nb.cells)):
                if block > last:
                    break
                if time.monotonic() > deadline:
                    raise TimeoutError("total")
                client.timeout = max(1, min(plan["cell_s"], deadline - time.monotonic()))
                if cell.cell_type == "code":
                    client.execute_cell(cell, block)
                if client.overflow:
                    result["notRun"] = {"reason": "output-limit", "message": f"cell {block + 1} printed more than {cap // 1024} KB, so checking stopped there", "block": block}
                    return result
                for stop in (s for s in stops if s["block"] == block):
                    seen = {"id": stop["id"], "block": block, "outputs": outputs_of(cell), "values": [], "tests": []}
                    for expr in stop["values"]:
                        seen["values"].append(probe(f"{names}value(lambda: (\n{expr}\n))") if python else UNSUPPORTED)
                    for code in stop["tests"]:
                        seen["tests"].append(probe(f"{names}test({code!r}, globals())") if python else plain_test(code))
                    answer({"stop": seen, "path": spec["path"]})  # sent now: a later crash keeps it
    except nbclient.exceptions.CellTimeoutError:
        result["notRun"] = {"reason": "timeout", "message": f"cell {block + 1} of {spec['path']} ran longer than {plan['cell_s']:g} s and was stopped", "block": block}
    except nbclient.exceptions.DeadKernelError:
        result["notRun"] = {"reason": "kernel-died", "message": f"the kernel died while running cell {block + 1} of {spec['path']} (out of memory, or the program ended itself)", "block": block}
    except TimeoutError:
        result["notRun"] = {"reason": "timeout", "message": f"grading took longer than {plan['total_s']:g} s in all, so it stopped at cell {block + 1}", "block": block}
    except Exception as e:
        result["notRun"] = {"reason": "sandbox-failed", "message": f"running {spec['path']} failed at cell {block + 1}: {type(e).__name__}: {str(e)[:300]}", "block": block}
    return result


def main():
    plan = json.loads(sys.stdin.buffer.readline())
    extract(read_exact(plan["tarBytes"]))
    deadline = started + plan["total_s"]
    os.environ.update({"HOME": "/home/learner", "JUPYTER_RUNTIME_DIR": "/tmp/labgate-rt", "JUPYTER_PLATFORM_DIRS": "1",
                       "PYDEVD_DISABLE_FILE_VALIDATION": "1", "MPLBACKEND": "Agg"})
    os.makedirs("/tmp/labgate-rt", exist_ok=True)
    os.chdir(WORK)
    import nbclient, nbclient.exceptions, nbformat
    for f in plan["files"]:
        answer({"file": run_file(nbclient, nbformat, f, plan, deadline)})
    answer({"done": True, "seconds": round(time.monotonic() - started, 3)})


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: os._exit(143))  # PID 1 ignores TERM unless it says otherwise
    try:
        main()
    except Exception as e:
        answer({"failed": f"{type(e).__name__}: {str(e)[:500]}"})
    os._exit(0)  # kernels left behind die with PID 1
