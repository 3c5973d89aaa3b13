# A child started and joined: the note's first program.
# processes: 2
import multiprocessing, os
def work(n):
    print(f"child pid={os.getpid()} got {n}")
if __name__ == "__main__":
    p = multiprocessing.Process(target=work, args=(7,))
    p.start()
    p.join()
    print(f"main pid={os.getpid()} exitcode {p.exitcode}")
