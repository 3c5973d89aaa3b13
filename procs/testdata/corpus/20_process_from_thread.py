# A process started from a thread that then ends.
# processes: 2
import multiprocessing, threading, time, os
def child():
    time.sleep(0.2)
    print(f"child pid={os.getpid()} lived on")
if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    box = []
    t = threading.Thread(target=lambda: (box.append(multiprocessing.Process(target=child)), box[0].start()))
    t.start()
    t.join()
    box[0].join()
    print("exitcode", box[0].exitcode)
