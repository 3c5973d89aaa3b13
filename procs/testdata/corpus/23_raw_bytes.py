# Raw writes: os.write, sys.stdout.buffer, invalid UTF-8, control bytes.
# processes: 2
import multiprocessing, os, sys
def raw():
    os.write(1, b"os.write pid=%d\n" % os.getpid())
    sys.stdout.buffer.write(b"buffer pid=%d \xff\xfe\n" % os.getpid())
    sys.stdout.flush()
    os.write(2, b"stderr raw pid=%d \x1b[31mred\x1b[0m\n" % os.getpid())
if __name__ == "__main__":
    p = multiprocessing.Process(target=raw)
    p.start()
    p.join()
