# Pool.map with four workers.
# processes: 5
import multiprocessing, os
def square(x):
    print(f"worker pid={os.getpid()} squares", x, flush=True)
    return x * x
if __name__ == "__main__":
    with multiprocessing.Pool(4) as pool:
        print("sum", sum(pool.map(square, range(40))))
