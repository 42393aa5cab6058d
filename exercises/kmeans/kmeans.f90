! k-means clustering: complete the procedures marked TODO.
!
! Compile and run the course workflow (reads kmeans_input_file_2d.dat, writes kmeans_output_2d.dat):
!     gfortran -O2 kmeans.f90 -o kmeans
!     ./kmeans
! Check your procedures:
!     grader check kmeans --path kmeans.f90
!
! Conventions (the grader calls these procedures directly, so keep their interfaces):
! - a dataset of n points in dimension d is data(n, d): point i is data(i, :); k centers are centers(k, d);
! - labels are integers from 1 to k: labels(i) is the center of point i;
! - never modify an argument declared intent(in).
! You may compute in default real (single precision) inside if you like; the arrays are real(c_double).
module kmeans_mod
  use iso_c_binding
  implicit none

  ! The grader's marker for "not written yet": delete the "not_implemented = 1" line of a procedure when
  ! you write it.
  integer(c_int), bind(C, name="not_implemented") :: not_implemented = 0

contains

  ! ---- given: a small random generator (splitmix64), seeded by the caller ----

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

  ! A random index in 1..n.
  function random_index(state, n) result(i) bind(C, name="random_index")
    integer(c_int64_t), intent(inout) :: state
    integer(c_int), value :: n
    integer(c_int) :: i
    i = int(modulo(ishft(next_random(state), -1), int(n, c_int64_t)), c_int) + 1
  end function random_index

  ! ---- given: the distance ----

  ! Squared Euclidean distance between two points of dimension d.
  function distance(a, b, d) result(dist) bind(C, name="distance")
    integer(c_int), value :: d
    real(c_double), intent(in) :: a(d), b(d)
    real(c_double) :: dist
    dist = sum((a - b)**2)
  end function distance

  ! ---- to complete ----

  ! Initialisation: centers(c, :) = data(i, :) for k DISTINCT indices i drawn with random_index from a
  ! generator started at state = seed.  status = 0, or -1 without writing anything when k < 1 or k > n.
  function init_centers(data, n, d, k, seed, centers) result(status) bind(C, name="init_centers")
    integer(c_int), value :: n, d, k
    integer(c_int64_t), value :: seed
    real(c_double), intent(in) :: data(n, d)
    real(c_double), intent(inout) :: centers(max(k, 0), d)
    integer(c_int) :: status
    ! TODO
    not_implemented = 1
    status = 0
  end function init_centers

  ! Association phase: labels(i) = index (1..k) of a nearest center of point i.
  subroutine assign(data, n, d, centers, k, labels) bind(C, name="assign")
    integer(c_int), value :: n, d, k
    real(c_double), intent(in) :: data(n, d), centers(k, d)
    integer(c_int), intent(inout) :: labels(n)
    ! TODO
    not_implemented = 1
  end subroutine assign

  ! Update phase: new_centers(c, :) = mean of the points whose label is c; a center with no point keeps its
  ! position centers(c, :).
  subroutine update(data, n, d, labels, centers, k, new_centers) bind(C, name="update")
    integer(c_int), value :: n, d, k
    real(c_double), intent(in) :: data(n, d), centers(k, d)
    integer(c_int), intent(in) :: labels(n)
    real(c_double), intent(inout) :: new_centers(k, d)
    ! TODO
    not_implemented = 1
  end subroutine update

  ! Main loop: start from init, repeat association then update; move = sum over the centers of the squared
  ! distance between old and new position; stop as soon as move <= eps, or after max_iter iterations.
  ! Leave the final centers in centers and, in labels, the labels of the last iteration's association (the one
  ! its update used: no association after the loop); n_iter = the
  ! number of iterations done.  Print each step like the course:
  !     write(*,*) "Step :", step, " error :", err, " cent. move :", move
  function kmeans(data, n, d, init, k, eps, max_iter, centers, labels) result(n_iter) bind(C, name="kmeans")
    integer(c_int), value :: n, d, k, max_iter
    real(c_double), value :: eps
    real(c_double), intent(in) :: data(n, d), init(k, d)
    real(c_double), intent(inout) :: centers(k, d)
    integer(c_int), intent(inout) :: labels(n)
    integer(c_int) :: n_iter
    ! TODO
    not_implemented = 1
    n_iter = 0
  end function kmeans

end module kmeans_mod

! ---- the course workflow: read the data, pick 4 initial centers, run, write the centers ----
program main
  use kmeans_mod
  implicit none
  integer :: ndim, npoints, j, c, steps, status
  integer, parameter :: k = 4
  real(c_double), allocatable :: data(:, :), init(:, :), centers(:, :)
  integer(c_int), allocatable :: labels(:)
  open(10, file="kmeans_input_file_2d.dat", status="old", action="read")
  read(10, *) ndim, npoints
  write(*, *) ndim, npoints
  allocate(data(npoints, ndim), init(k, ndim), centers(k, ndim), labels(npoints))
  do j = 1, ndim   ! the file holds one line per dimension
    read(10, *) data(:, j)
  end do
  close(10)
  status = init_centers(data, npoints, ndim, k, 20261125_c_int64_t, init)
  if (status /= 0 .or. not_implemented /= 0) then
    write(*, *) "init_centers is not implemented yet (or failed)"
    stop 1
  end if
  steps = kmeans(data, npoints, ndim, init, k, 0.001d0, 100, centers, labels)
  if (not_implemented /= 0) then
    write(*, *) "kmeans is not implemented yet"
    stop 1
  end if
  write(*, *) "converged in", steps, "steps"
  open(11, file="kmeans_output_2d.dat", status="replace", action="write")
  write(11, *) ndim, k
  do c = 1, k
    write(11, *) centers(c, :)
  end do
  close(11)
end program main
