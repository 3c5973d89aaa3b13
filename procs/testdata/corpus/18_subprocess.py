# subprocess: a shell and another Python.
# processes: 2
# python: 3.7
import subprocess, sys
out = subprocess.run(["sh", "-c", "echo captured"], capture_output=True, text=True).stdout
print("captured:", out.strip())
subprocess.run(["sh", "-c", "echo straight through"])
subprocess.run([sys.executable, "-c", "import os; print(f'inner python pid={os.getpid()}')"])
print("subprocess done")
