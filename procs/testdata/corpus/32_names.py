# Odd process names: a newline, escapes, Chinese.
# processes: 3
import multiprocessing, os
def hello():
    print(f"hello from pid={os.getpid()}")
if __name__ == "__main__":
    ps = [multiprocessing.Process(target=hello, name=n) for n in ("line\nbreak \x1b]0;title\x07", "进程-甲")]
    for p in ps: p.start()
    for p in ps: p.join()
