module tapgen.local/engine

go 1.24.7
