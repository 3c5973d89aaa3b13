# A shell job that outlives main, printing through main's stdout.
# processes: 1
import subprocess
subprocess.Popen(["sh", "-c", "sleep 0.3; echo from the background job"])
print("main leaves the job behind")
