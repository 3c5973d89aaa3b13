# The lecture note's program, as printed there.
import multiprocessing
import time

g_list = list() # 全局变量

def add_data():
    for i in range(3):
        g_list.append(i)
        print('add:', i)
        time.sleep(0.2)
    print('添加完成：', g_list)

def read_data():
    print('read:', g_list)

if __name__ == '__main__':  # 防止windows系统重复创建主进程代码
    add_process = multiprocessing.Process(target=add_data)
    read_process = multiprocessing.Process(target=read_data)
    add_process.start()
    add_process.join()  # 主进程等待add_process进程结束
    read_process.start()
    print('主进程读取：', g_list)

# 输出
# add: 0
# add: 1
# add: 2
# 添加完成： [0, 1, 2]
# 主进程读取： []
# read: []
