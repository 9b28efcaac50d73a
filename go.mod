module carefit

go 1.26.0
