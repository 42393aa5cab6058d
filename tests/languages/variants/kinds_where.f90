! Correct: 0-based arrays (data(0:n-1, 0:d-1)), 8-byte loop counters, selected_real_kind, where/elsewhere.
module kmeans_mod
  use iso_c_binding
  implicit none
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

  function init_centers(data, n, d, k, seed, centers) result(status) bind(C, name="init_centers")
    integer(c_int), value :: n, d, k
    integer(c_int64_t), value :: seed
    real(c_double), intent(in) :: data(0:n - 1, 0:d - 1)
    real(c_double), intent(inout) :: centers(0:max(k, 0) - 1, 0:d - 1)
    integer(c_int) :: status
    integer(c_int64_t) :: state
    integer(8) :: c, i
    logical :: taken(0:n - 1)
    if (k < 1 .or. k > n) then
      status = -1
      return
    end if
    state = seed
    taken = .false.
    do c = 0, k - 1
      do
        i = random_index(state, n) - 1_8     ! random_index is 1-based, these arrays 0-based
        if (.not. taken(i)) exit
      end do
      taken(i) = .true.
      centers(c, :) = data(i, :)
    end do
    status = 0
  end function init_centers

  subroutine assign(data, n, d, centers, k, labels) bind(C, name="assign")
    integer, parameter :: wp = selected_real_kind(15, 300)
    integer(c_int), value :: n, d, k
    real(c_double), intent(in) :: data(0:n - 1, 0:d - 1), centers(0:k - 1, 0:d - 1)
    integer(c_int), intent(inout) :: labels(0:n - 1)
    integer(8) :: i, c
    real(wp) :: dist, best
    do i = 0, n - 1
      best = -1.0_wp
      do c = 0, k - 1
        dist = sum((data(i, :) - centers(c, :))**2)
        if (best < 0.0_wp .or. dist <= best) then
          best = dist
          labels(i) = int(c + 1, c_int)   ! the labels are 1..k
        end if
      end do
    end do
  end subroutine assign

  subroutine update(data, n, d, labels, centers, k, new_centers) bind(C, name="update")
    integer(c_int), value :: n, d, k
    real(c_double), intent(in) :: data(0:n - 1, 0:d - 1), centers(0:k - 1, 0:d - 1)
    integer(c_int), intent(in) :: labels(0:n - 1)
    real(c_double), intent(inout) :: new_centers(0:k - 1, 0:d - 1)
    integer(8) :: i, j
    integer :: counts(0:k - 1), table(0:k - 1, 0:d - 1)
    counts = 0
    new_centers = 0.0_c_double
    do i = 0, n - 1
      counts(labels(i) - 1) = counts(labels(i) - 1) + 1
      new_centers(labels(i) - 1, :) = new_centers(labels(i) - 1, :) + data(i, :)
    end do
    do j = 0, d - 1
      table(:, j) = counts
    end do
    where (table > 0)
      new_centers = new_centers / table
    elsewhere
      new_centers = centers
    end where
  end subroutine update

  function kmeans(data, n, d, init, k, eps, max_iter, centers, labels) result(n_iter) bind(C, name="kmeans")
    integer(c_int), value :: n, d, k, max_iter
    real(c_double), value :: eps
    real(c_double), intent(in) :: data(n, d), init(k, d)
    real(c_double), intent(inout) :: centers(k, d)
    integer(c_int), intent(inout) :: labels(n)
    integer(c_int) :: n_iter
    real(c_double) :: next(k, d)
    integer(8) :: step
    centers = init
    n_iter = max_iter
    do step = 1_8, int(max_iter, 8)
      call assign(data, n, d, centers, k, labels)
      call update(data, n, d, labels, centers, k, next)
      if (sum((next - centers)**2) <= eps) then
        centers = next
        n_iter = int(step, c_int)
        exit
      end if
      centers = next
    end do
  end function kmeans

end module kmeans_mod
