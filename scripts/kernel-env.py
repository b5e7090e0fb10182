"""Give the installed GoNB kernel spec this clone's tools on its PATH.

GoNB needs goimports and gopls on PATH when the kernel runs; a Jupyter front
end started elsewhere would not have them. Usage: kernel-env.py KERNEL_JSON BIN.
"""
import json
import os
import sys

path, bindir = sys.argv[1], sys.argv[2]
with open(path) as f:
    spec = json.load(f)
env = spec.setdefault("env", {})
env["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin")
tmp = path + ".tmp"
with open(tmp, "w") as f:
    json.dump(spec, f, indent=1)
os.replace(tmp, path)
