! k-means, the whole program (to complete).
!
! Reads kmeans_input_file_2d.dat (first line "ndim npoints", then one line per
! coordinate), is to cluster the points around k centers picked at random among them,
! print one line per iteration and write kmeans_output_2d.dat (first line
! "ndim k", then one center per line).  It must work in any dimension.
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

  ! TODO: the main loop, for step = 1, 2, ... up to max_iter:
  !   - association phase: for each point, the nearest center (squared Euclidean distance);
  !     add the point to that center's sums and counts, and its distance to err;
  !   - update phase: move each center that has points to the mean of its points
  !     (a center without points stays where it is); mov = the sum over centers of the
  !     squared distance between the old and the new position;
  !   - write(*,*) "Step :", step, " error :", err / npoints, " cent. move :", mov
  !   - stop (exit) as soon as mov <= eps.

  open(unit=11, file="kmeans_output_2d.dat", status="replace", action="write")
  write(11,*) ndim, k
  do j = 1, k
    write(11,*) centers(:, j)
  end do
  close(11)
end program kmeans_program
