# active_children, current_process and parent_process.
# processes: 3
# python: 3.8
import multiprocessing, time
def nap():
    print("in", multiprocessing.current_process().name, "parent", multiprocessing.parent_process().name)
    time.sleep(0.2)
if __name__ == "__main__":
    ps = [multiprocessing.Process(target=nap, name=f"napper-{i}") for i in range(2)]
    for p in ps: p.start()
    print("active", sorted(p.name for p in multiprocessing.active_children()))
    for p in ps: p.join()
    print("active after", multiprocessing.active_children())
