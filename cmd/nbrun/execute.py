# nbrun's runner: nbclient executes one notebook as `python -m nbconvert --to
# notebook --execute` would, without nbconvert's imports (about half a second
# of every run). Arguments: input, output, kernel name, timeout in seconds,
# the folder the kernel starts in.
import os
import sys

import nbformat
from nbclient import NotebookClient

src, dst, kernel, timeout, cwd = sys.argv[1:6]
nb = nbformat.read(src, as_version=4)
NotebookClient(nb, kernel_name=kernel, timeout=int(timeout), interrupt_on_timeout=True,
               allow_errors=True, resources={"metadata": {"path": cwd}}).execute()
tmp = dst + ".part"
nbformat.write(nb, tmp)
os.replace(tmp, dst)  # never a half-written notebook at dst
