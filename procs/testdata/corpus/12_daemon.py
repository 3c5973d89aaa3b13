# A daemon child ended when main ends.
# processes: 2
import multiprocessing, time, os
def forever():
    print(f"daemon pid={os.getpid()} up", flush=True)
    while True:
        time.sleep(0.05)
if __name__ == "__main__":
    d = multiprocessing.Process(target=forever, daemon=True)
    d.start()
    time.sleep(0.3)
    print("main leaves, daemon alive:", d.is_alive())
