# The spawn start method: children with args and kwargs.
# processes: 3
import multiprocessing, os
def show(name, times=1):
    for _ in range(times):
        print(f"{name} pid={os.getpid()}")
if __name__ == "__main__":
    ctx = multiprocessing.get_context("spawn")
    ps = [ctx.Process(target=show, args=("first",), kwargs={"times": 2}), ctx.Process(target=show, args=("second",))]
    for p in ps: p.start()
    for p in ps: p.join()
    print("codes", [p.exitcode for p in ps])
