// The files here are not a module of their own: they are copied into Fyne's
// packages by prepare.sh. This go.mod keeps them out of ProcLab's ./... .
module proclab/third_party/fyne

go 1.26.0
