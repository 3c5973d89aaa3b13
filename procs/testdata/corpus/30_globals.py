# The note's 3.6(1): globals are not shared.
# processes: 3
import multiprocessing, time
g_list = []
def add_data():
    for i in range(3):
        g_list.append(i)
        print("add:", i)
        time.sleep(0.05)
    print("添加完成：", g_list)
def read_data():
    print("read:", g_list)
if __name__ == "__main__":
    a = multiprocessing.Process(target=add_data)
    r = multiprocessing.Process(target=read_data)
    a.start(); a.join(); r.start(); r.join()
    print("主进程读取：", g_list)
