# Chinese text from main and from children, the note's words.
# processes: 3
import multiprocessing, os
def sing():
    for i in range(3):
        print(f"唱歌中... {i} pid={os.getpid()}")
def dance():
    for i in range(3):
        print(f"跳舞中... {i} pid={os.getpid()}")
if __name__ == "__main__":
    ps = [multiprocessing.Process(target=sing), multiprocessing.Process(target=dance)]
    for p in ps: p.start()
    for p in ps: p.join()
    print("主进程结束")
