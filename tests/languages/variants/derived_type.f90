! Correct: a derived type holding the clustering state, with type-bound procedures; integer(c_long) counts.
module kmeans_mod
  use iso_c_binding
  implicit none

  type :: clustering
    integer :: k, d
    real(c_double), allocatable :: sums(:, :)
    integer(c_long), allocatable :: counts(:)
  contains
    procedure :: reset
    procedure :: add
    procedure :: means
  end type clustering
contains

  function next_random(state) result(z) bind(C, name="next_random")
    integer(c_int64_t), intent(inout) :: state
    integer(c_int64_t) :: z
    state = wrapped(state, -7046029254386353131_c_int64_t, .false.)
    z = state
    z = wrapped(ieor(z, ishft(z, -30)), -4658895280553007687_c_int64_t, .true.)
    z = wrapped(ieor(z, ishft(z, -27)), -7723592293110705685_c_int64_t, .true.)
    z = ieor(z, ishft(z, -31))
  end function next_random

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

  function random_index(state, n) result(i) bind(C, name="random_index")
    integer(c_int64_t), intent(inout) :: state
    integer(c_int), value :: n
    integer(c_int) :: i
    i = int(modulo(ishft(next_random(state), -1), int(n, c_int64_t)), c_int) + 1
  end function random_index


  function distance(a, b, d) result(dist) bind(C, name="distance")
    integer(c_int), value :: d
    real(c_double), intent(in) :: a(d), b(d)
    real(c_double) :: dist
    dist = sum((a - b)**2)
  end function distance

  subroutine reset(self, k, d)
    class(clustering), intent(inout) :: self
    integer, intent(in) :: k, d
    self%k = k
    self%d = d
    if (allocated(self%sums)) deallocate(self%sums, self%counts)
    allocate(self%sums(k, d), self%counts(k))
    self%sums = 0
    self%counts = 0
  end subroutine reset

  subroutine add(self, c, point)
    class(clustering), intent(inout) :: self
    integer, intent(in) :: c
    real(c_double), intent(in) :: point(:)
    self%sums(c, :) = self%sums(c, :) + point
    self%counts(c) = self%counts(c) + 1_c_long
  end subroutine add

  subroutine means(self, fallback, out)
    class(clustering), intent(in) :: self
    real(c_double), intent(in) :: fallback(:, :)
    real(c_double), intent(out) :: out(:, :)
    integer :: c
    do c = 1, self%k
      if (self%counts(c) == 0_c_long) then
        out(c, :) = fallback(c, :)
      else
        out(c, :) = self%sums(c, :) / real(self%counts(c), c_double)
      end if
    end do
  end subroutine means

  function init_centers(data, n, d, k, seed, centers) result(status) bind(C, name="init_centers")
    integer(c_int), value :: n, d, k
    integer(c_int64_t), value :: seed
    real(c_double), intent(in) :: data(n, d)
    real(c_double), intent(inout) :: centers(max(k, 0), d)
    integer(c_int) :: status
    integer(c_int64_t) :: state
    logical, allocatable :: free(:)
    integer :: c, i
    if (k < 1 .or. k > n) then
      status = -1
      return
    end if
    allocate(free(n), source=.true.)
    state = seed
    c = 1
    do while (c <= k)
      i = random_index(state, n)
      if (free(i)) then
        free(i) = .false.
        centers(c, :) = data(i, :)
        c = c + 1
      end if
    end do
    status = 0
  end function init_centers

  subroutine assign(data, n, d, centers, k, labels) bind(C, name="assign")
    integer(c_int), value :: n, d, k
    real(c_double), intent(in) :: data(n, d), centers(k, d)
    integer(c_int), intent(inout) :: labels(n)
    real(c_double) :: dist(k)
    integer :: i, c
    do i = 1, n
      dist = [(distance(data(i, :), centers(c, :), d), c = 1, k)]
      labels(i) = minloc(dist, 1)
    end do
  end subroutine assign

  subroutine update(data, n, d, labels, centers, k, new_centers) bind(C, name="update")
    integer(c_int), value :: n, d, k
    real(c_double), intent(in) :: data(n, d), centers(k, d)
    integer(c_int), intent(in) :: labels(n)
    real(c_double), intent(inout) :: new_centers(k, d)
    type(clustering) :: state
    integer :: i
    call state%reset(k, d)
    do i = 1, n
      call state%add(labels(i), data(i, :))
    end do
    call state%means(centers, new_centers)
  end subroutine update

  function kmeans(data, n, d, init, k, eps, max_iter, centers, labels) result(n_iter) bind(C, name="kmeans")
    integer(c_int), value :: n, d, k, max_iter
    real(c_double), value :: eps
    real(c_double), intent(in) :: data(n, d), init(k, d)
    real(c_double), intent(inout) :: centers(k, d)
    integer(c_int), intent(inout) :: labels(n)
    integer(c_int) :: n_iter
    real(c_double) :: previous(k, d)
    centers = init
    n_iter = 0
    do while (n_iter < max_iter)
      previous = centers
      call assign(data, n, d, previous, k, labels)
      call update(data, n, d, labels, previous, k, centers)
      n_iter = n_iter + 1
      if (sum((centers - previous)**2) <= eps) exit
    end do
  end function kmeans

end module kmeans_mod
