# A Manager's dict shared by workers.
# processes: 5
import multiprocessing
def put(d, k):
    d[k] = k * 10
if __name__ == "__main__":
    with multiprocessing.Manager() as m:
        d = m.dict()
        ps = [multiprocessing.Process(target=put, args=(d, k)) for k in range(3)]
        for p in ps: p.start()
        for p in ps: p.join()
        print(sorted(d.items()))
