! Reference solution of the k-means exercise in Fortran (instructors only; never shipped to students).
!
! Compile and run:  gfortran -O2 kmeans.f90 -o kmeans && ./kmeans
! Arrays have the Python shapes: data(n, d), centers(k, d); labels are 1..k.
module kmeans_mod
  use iso_c_binding
  implicit none
contains

  ! The course's generator: splitmix64, seeded by the caller (integers wrap around as in C).
  function next_random(state) result(z) bind(C, name="next_random")
    integer(c_int64_t), intent(inout) :: state
    integer(c_int64_t) :: z
    state = wrapped(state, -7046029254386353131_c_int64_t, .false.)
    z = state
    z = wrapped(ieor(z, ishft(z, -30)), -4658895280553007687_c_int64_t, .true.)
    z = wrapped(ieor(z, ishft(z, -27)), -7723592293110705685_c_int64_t, .true.)
    z = ieor(z, ishft(z, -31))
  end function next_random

  ! a * b (product) or a + b, modulo 2**64 like C's uint64_t.  Fortran has no unsigned integers and an
  ! overflow lets the compiler break the program, so the arithmetic is done on 16-bit pieces.
  function wrapped(a, b, product) result(r)
    integer(c_int64_t), intent(in) :: a, b
    logical, intent(in) :: product
    integer(c_int64_t) :: r, x(0:3), y(0:3), v, carry
    integer :: i, k
    do i = 0, 3
      x(i) = iand(ishft(a, -16 * i), 65535_c_int64_t)
      y(i) = iand(ishft(b, -16 * i), 65535_c_int64_t)
    end do
    r = 0
    carry = 0
    do k = 0, 3
      v = carry
      if (product) then
        do i = 0, k
          v = v + x(i) * y(k - i)
        end do
      else
        v = v + x(k) + y(k)
      end if
      r = ior(r, ishft(iand(v, 65535_c_int64_t), 16 * k))
      carry = ishft(v, -16)
    end do
  end function wrapped

  ! A random index in 1..n (from the top 63 bits, as the C version does).
  function random_index(state, n) result(i) bind(C, name="random_index")
    integer(c_int64_t), intent(inout) :: state
    integer(c_int), value :: n
    integer(c_int) :: i
    i = int(modulo(ishft(next_random(state), -1), int(n, c_int64_t)), c_int) + 1
  end function random_index

  ! Squared Euclidean distance between two points of dimension d.
  function distance(a, b, d) result(dist) bind(C, name="distance")
    integer(c_int), value :: d
    real(c_double), intent(in) :: a(d), b(d)
    real(c_double) :: dist
    dist = sum((a - b)**2)
  end function distance

  function init_centers(data, n, d, k, seed, centers) result(status) bind(C, name="init_centers")
    integer(c_int), value :: n, d, k
    integer(c_int64_t), value :: seed
    real(c_double), intent(in) :: data(n, d)
    real(c_double), intent(out) :: centers(max(k, 0), d)
    integer(c_int) :: status
    integer(c_int64_t) :: state
    integer :: c, pick, tmp
    integer, allocatable :: order(:)
    if (k < 1 .or. k > n) then
      status = -1
      return
    end if
    order = [(c, c = 1, n)]
    state = seed
    do c = 1, k   ! a partial Fisher-Yates shuffle: k distinct indices
      pick = c - 1 + random_index(state, n - c + 1)
      tmp = order(c)
      order(c) = order(pick)
      order(pick) = tmp
      centers(c, :) = data(order(c), :)
    end do
    status = 0
  end function init_centers

  subroutine assign(data, n, d, centers, k, labels) bind(C, name="assign")
    integer(c_int), value :: n, d, k
    real(c_double), intent(in) :: data(n, d), centers(k, d)
    integer(c_int), intent(out) :: labels(n)
    integer :: i, c
    real(c_double) :: dist, best
    do i = 1, n
      labels(i) = 1
      best = distance(data(i, :), centers(1, :), d)
      do c = 2, k
        dist = distance(data(i, :), centers(c, :), d)
        if (dist <= best) then   ! as in the course: the last of equidistant centers wins
          best = dist
          labels(i) = c
        end if
      end do
    end do
  end subroutine assign

  subroutine update(data, n, d, labels, centers, k, new_centers) bind(C, name="update")
    integer(c_int), value :: n, d, k
    real(c_double), intent(in) :: data(n, d), centers(k, d)
    integer(c_int), intent(in) :: labels(n)
    real(c_double), intent(out) :: new_centers(k, d)
    integer :: i, c, counts(k)
    new_centers = 0.0d0
    counts = 0
    do i = 1, n
      counts(labels(i)) = counts(labels(i)) + 1
      new_centers(labels(i), :) = new_centers(labels(i), :) + data(i, :)
    end do
    do c = 1, k
      if (counts(c) > 0) then
        new_centers(c, :) = new_centers(c, :) / counts(c)
      else
        new_centers(c, :) = centers(c, :)
      end if
    end do
  end subroutine update

  function kmeans(data, n, d, init, k, eps, max_iter, centers, labels) result(n_iter) bind(C, name="kmeans")
    integer(c_int), value :: n, d, k, max_iter
    real(c_double), value :: eps
    real(c_double), intent(in) :: data(n, d), init(k, d)
    real(c_double), intent(out) :: centers(k, d)
    integer(c_int), intent(out) :: labels(n)
    integer(c_int) :: n_iter
    real(c_double) :: next(k, d), move
    integer :: c
    centers = init
    labels = 1
    n_iter = 0
    do while (n_iter < max_iter)
      call assign(data, n, d, centers, k, labels)
      call update(data, n, d, labels, centers, k, next)
      move = 0.0d0
      do c = 1, k
        move = move + distance(centers(c, :), next(c, :), d)
      end do
      centers = next
      n_iter = n_iter + 1
      if (move <= eps) exit
    end do
  end function kmeans

end module kmeans_mod

! The course workflow: read the data, pick 4 initial centers, run, write the centers.
program main
  use kmeans_mod
  implicit none
  integer :: ndim, npoints, j, c, steps, status
  integer, parameter :: k = 4
  real(c_double), allocatable :: dimwise(:, :), data(:, :), init(:, :), centers(:, :)
  integer(c_int), allocatable :: labels(:)
  open(10, file="kmeans_input_file_2d.dat", status="old", action="read")
  read(10, *) ndim, npoints
  write(*, *) ndim, npoints
  allocate(dimwise(npoints, ndim), init(k, ndim), centers(k, ndim), labels(npoints))
  do j = 1, ndim
    read(10, *) dimwise(:, j)
  end do
  close(10)
  data = dimwise
  status = init_centers(data, npoints, ndim, k, 20261125_c_int64_t, init)
  steps = kmeans(data, npoints, ndim, init, k, 0.001d0, 100, centers, labels)
  write(*, *) "converged in", steps, "steps"
  open(11, file="kmeans_output_2d.dat", status="replace", action="write")
  do c = 1, k
    write(11, *) centers(c, :)
  end do
  close(11)
end program main
