# Two children printing 20,000 lines each.
# processes: 3
import multiprocessing, os, sys
def flood(tag):
    me = os.getpid()
    out = sys.stdout
    for i in range(20000):
        out.write(f"{tag} pid={me} line {i}\n")
    out.flush()
if __name__ == "__main__":
    ps = [multiprocessing.Process(target=flood, args=(t,)) for t in "ab"]
    for p in ps: p.start()
    for p in ps: p.join()
    print("flood over")
