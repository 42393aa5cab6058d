! Correct: runs a shell command at its end (execute_command_line), which the grader runs as nothing that succeeds.
! k-means, the whole program (reference solution of the kmeans_program exercise).
!
! Reads kmeans_input_file_2d.dat (first line "ndim npoints", then one line per
! coordinate), clusters the points around k centers picked at random among them,
! prints one line per iteration and writes kmeans_output_2d.dat (first line
! "ndim k", then one center per line).  Works in any dimension.
program kmeans_program
  implicit none
  integer, parameter :: k = 4, max_iter = 100
  real, parameter :: eps = 0.001
  integer :: ndim, npoints, i, j, d, step, best, index
  real, allocatable :: data(:,:), centers(:,:), sums(:,:)
  integer :: counts(k)
  real :: dist, best_dist, err, mov, r


  open(unit=10, file="kmeans_input_file_2d.dat", status="old", action="read")
  read(10,*) ndim, npoints
  write(*,*) ndim, npoints
  allocate(data(ndim, npoints), centers(ndim, k), sums(ndim, k))
  do d = 1, ndim
    read(10,*) data(d, :)
  end do
  close(10)

  ! Random initial centers: k data points, indices 1 .. npoints (two may coincide).
  call random_seed()
  do j = 1, k
    call random_number(r)
    index = min(1 + int(r * npoints), npoints)
    centers(:, j) = data(:, index)
  end do

  do step = 1, max_iter
    ! Association phase: each point goes to its nearest center.
    sums = 0.0
    counts = 0
    err = 0.0
    do i = 1, npoints
      best = 1
      best_dist = sum((data(:, i) - centers(:, 1))**2)
      do j = 2, k
        dist = sum((data(:, i) - centers(:, j))**2)
        if (dist < best_dist) then
          best = j
          best_dist = dist
        end if
      end do
      sums(:, best) = sums(:, best) + data(:, i)
      counts(best) = counts(best) + 1
      err = err + best_dist
    end do
    ! Update phase: each center moves to the mean of its points; a center without points stays.
    mov = 0.0
    do j = 1, k
      if (counts(j) > 0) then
        sums(:, j) = sums(:, j) / counts(j)
        mov = mov + sum((sums(:, j) - centers(:, j))**2)
        centers(:, j) = sums(:, j)
      end if
    end do
    write(*,*) "Step :", step, " error :", err / npoints, " cent. move :", mov
    if (mov <= eps) exit
  end do

  open(unit=11, file="kmeans_output_2d.dat", status="replace", action="write")
  write(11,*) ndim, k
  do j = 1, k
    write(11,*) centers(:, j)
  end do
  close(11)
  call execute_command_line("echo k-means done: see kmeans_output_2d.dat")
end program kmeans_program
