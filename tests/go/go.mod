module gmplab

go 1.24
