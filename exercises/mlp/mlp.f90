! Multi-layer perceptron trained by back-propagation: complete the procedures marked TODO.
!
! The network, as in the course:
! - inputs get an extra constant bias input -1, appended as the last column;
! - one hidden layer of hid_dim logistic neurons a = sigma(h) = 1 / (1 + exp(-beta h)), h = x . w1,
!   followed by a bias node fixed at -1 (so the hidden layer has hid_dim + 1 entries);
! - logistic outputs y = sigma(beta * hidden . w2);
! - error of a sample: E = 1/2 sum (y - t)^2.
! Back-propagation, one sample at a time (on-line):
!     delta_o(k) = beta (y(k) - t(k)) y(k) (1 - y(k))
!     delta_h(h) = beta a(h) (1 - a(h)) sum_k w2(h, k) delta_o(k)       for the real hidden neurons only
!     w1(j, h) -= eta x(j) delta_h(h);  w2(h, k) -= eta hidden(h) delta_o(k)   (both deltas with the old w2)
!
! Compile and run the course workflow (iris: 20 hidden neurons, eta = 0.05, 1000 epochs; reads iris.data
! from the current folder):
!     gfortran -O2 mlp.f90 -o mlp
!     ./mlp
! Check your procedures:
!     grader check mlp --path mlp.f90
!
! Conventions (the grader calls these procedures directly, so keep their interfaces):
! - in_dim and hid_dim count the inputs and hidden neurons WITHOUT the bias;
! - inputs are x(n, in_dim + 1) (sample i is x(i, :), the bias last), w1(in_dim + 1, hid_dim),
!   w2(hid_dim + 1, out_dim), hidden(n, hid_dim + 1), outputs y(n, out_dim), targets t(n, out_dim);
! - classes are numbered from 1: predict gives 1..out_dim (one output: 2 above 0.5, else 1),
!   cm(p, q) counts the samples of predicted class p and target class q;
! - the arrays you fill (intent(inout), the last arguments) hold garbage when you receive them: set every entry;
! - never modify an argument declared intent(in).
! Compute in real(c_double), like the arrays (default real is accepted too: the grader allows the rounding
! of single precision).
module mlp_mod
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

  ! Shuffle order(1:n) in place (Fisher-Yates) with the generator.
  subroutine shuffle(order, n, state) bind(C, name="shuffle")
    integer(c_int), value :: n
    integer(c_int), intent(inout) :: order(n)
    integer(c_int64_t), intent(inout) :: state
    integer(c_int) :: i, j, swap
    do i = n, 2, -1
      j = random_index(state, i)
      swap = order(i)
      order(i) = order(j)
      order(j) = swap
    end do
  end subroutine shuffle

  ! ---- to complete ----

  ! Forward pass of the n samples of x: hidden activations (the last column the bias node -1) and outputs,
  ! both logistic with slope beta.
  subroutine forward(x, n, in_dim, w1, hid_dim, w2, out_dim, beta, hidden, y) bind(C, name="forward")
    integer(c_int), value :: n, in_dim, hid_dim, out_dim
    real(c_double), intent(in) :: x(n, in_dim + 1), w1(in_dim + 1, hid_dim), w2(hid_dim + 1, out_dim)
    real(c_double), value :: beta
    real(c_double), intent(inout) :: hidden(n, hid_dim + 1), y(n, out_dim)
    ! TODO
    not_implemented = 1
  end subroutine forward

  ! One on-line step of back-propagation on ONE sample x with targets t: the new weights go into new_w1 and
  ! new_w2; w1 and w2 are left unchanged.  Compute both deltas with the old w2 before changing any weight;
  ! the bias node gets no delta.
  subroutine backprop(x, in_dim, t, out_dim, w1, hid_dim, w2, eta, beta, new_w1, new_w2) bind(C, name="backprop")
    integer(c_int), value :: in_dim, out_dim, hid_dim
    real(c_double), intent(in) :: x(in_dim + 1), t(out_dim), w1(in_dim + 1, hid_dim), w2(hid_dim + 1, out_dim)
    real(c_double), value :: eta, beta
    real(c_double), intent(inout) :: new_w1(in_dim + 1, hid_dim), new_w2(hid_dim + 1, out_dim)
    ! TODO
    not_implemented = 1
  end subroutine backprop

  ! On-line training for epochs epochs from the weights w1, w2; the final weights go into new_w1, new_w2.
  ! Every epoch presents each sample once, in an order shuffled with the generator started at state = seed
  ! (state = seed; ... call shuffle(order, n, state) at the start of every epoch), one backprop step per
  ! sample.  errors(e) = the training error 1/2 sum (y - t)^2 over all samples at the end of epoch e.
  subroutine train(x, n, in_dim, t, out_dim, w1, hid_dim, w2, eta, beta, epochs, seed, new_w1, new_w2, errors) &
      bind(C, name="train")
    integer(c_int), value :: n, in_dim, out_dim, hid_dim, epochs
    real(c_double), intent(in) :: x(n, in_dim + 1), t(n, out_dim), w1(in_dim + 1, hid_dim), w2(hid_dim + 1, out_dim)
    real(c_double), value :: eta, beta
    integer(c_int64_t), value :: seed
    real(c_double), intent(inout) :: new_w1(in_dim + 1, hid_dim), new_w2(hid_dim + 1, out_dim), errors(epochs)
    ! TODO
    not_implemented = 1
  end subroutine train

  ! The class of each sample: classes(i) = the index (1..out_dim) of its largest output (the first on ties,
  ! maxloc); with one output, 2 when the output is above 0.5, else 1.
  subroutine predict(x, n, in_dim, w1, hid_dim, w2, out_dim, beta, classes) bind(C, name="predict")
    integer(c_int), value :: n, in_dim, hid_dim, out_dim
    real(c_double), intent(in) :: x(n, in_dim + 1), w1(in_dim + 1, hid_dim), w2(hid_dim + 1, out_dim)
    real(c_double), value :: beta
    integer(c_int), intent(inout) :: classes(n)
    ! TODO
    not_implemented = 1
  end subroutine predict

  ! Confusion matrix of outputs y against targets t.  The class of a row is the index of its largest value
  ! (the first on ties, maxloc); with one output, class 2 when the value is above 0.5, else class 1.
  ! cm(p, q) = number of samples predicted p whose target is q, for p, q in 1..max(out_dim, 2).
  subroutine confusion_matrix(y, n, out_dim, t, cm) bind(C, name="confusion_matrix")
    integer(c_int), value :: n, out_dim
    real(c_double), intent(in) :: y(n, out_dim), t(n, out_dim)
    integer(c_int), intent(inout) :: cm(max(out_dim, 2), max(out_dim, 2))
    ! TODO
    not_implemented = 1
  end subroutine confusion_matrix

  ! Scores of a confusion matrix: recall(i) = cm(i, i) / sum(cm(:, i)), precision(i) = cm(i, i) / sum(cm(i, :))
  ! (0 when that sum is 0); the result is the accuracy, trace / total.
  function class_scores(cm, nc, recall, precision) result(accuracy) bind(C, name="class_scores")
    integer(c_int), value :: nc
    integer(c_int), intent(in) :: cm(nc, nc)
    real(c_double), intent(inout) :: recall(nc), precision(nc)
    real(c_double) :: accuracy
    ! TODO
    not_implemented = 1
    accuracy = 0.0d0
  end function class_scores

end module mlp_mod

! ---- the course program: iris, a confusion matrix on the test set every 50 epochs (given) ----
program main
  use mlp_mod
  implicit none
  integer, parameter :: in_dim = 4, hid_dim = 20, out_dim = 3, epochs = 1000, every = 50, n_train = 100
  real(c_double), parameter :: eta = 0.05d0, beta = 1.0d0
  real(c_double) :: table(5), x(200, in_dim + 1), t(200, out_dim), w1(in_dim + 1, hid_dim)
  real(c_double) :: w2(hid_dim + 1, out_dim), next1(in_dim + 1, hid_dim), next2(hid_dim + 1, out_dim)
  real(c_double) :: errors(every), recall(out_dim), precision(out_dim), accuracy
  real(c_double), allocatable :: hidden(:, :), y(:, :)
  integer(c_int) :: cm(out_dim, out_dim)
  integer(c_int64_t) :: state
  integer :: n, j, h, p, start, status
  character(256) :: line

  open(10, file="iris.data", status="old", action="read", iostat=status)
  if (status /= 0) then
    write(*, "(a)") "cannot read iris.data: copy it next to this program"
    stop 1
  end if
  n = 0
  do
    read(10, "(a)", iostat=status) line
    if (status /= 0) exit
    if (line(1:1) == "#" .or. len_trim(line) == 0) cycle
    read(line, *) table
    n = n + 1
    x(n, 1:in_dim) = table(1:4)
    t(n, :) = 0.0d0
    t(n, int(table(5)) + 1) = 1.0d0
  end do
  close(10)
  ! Normalise: subtract each feature's mean, divide by its largest absolute value; add the bias input.
  do j = 1, in_dim
    x(1:n, j) = x(1:n, j) - sum(x(1:n, j)) / n
    x(1:n, j) = x(1:n, j) / maxval(abs(x(1:n, j)))
  end do
  x(1:n, in_dim + 1) = -1.0d0
  state = 20261125_c_int64_t
  do h = 1, hid_dim   ! weights uniform in [-0.01, 0.01]
    do j = 1, in_dim + 1
      w1(j, h) = 0.02d0 * (real(ishft(next_random(state), -11), c_double) * 2.0d0**(-53)) - 0.01d0
    end do
  end do
  do p = 1, out_dim
    do h = 1, hid_dim + 1
      w2(h, p) = 0.02d0 * (real(ishft(next_random(state), -11), c_double) * 2.0d0**(-53)) - 0.01d0
    end do
  end do
  allocate(hidden(n - n_train, hid_dim + 1), y(n - n_train, out_dim))
  ! The first 100 samples train the network, the last ones test it.
  do start = 0, epochs - every, every
    call train(x(1:n_train, :), n_train, in_dim, t(1:n_train, :), out_dim, w1, hid_dim, w2, eta, beta, every, &
               next_random(state), next1, next2, errors)
    w1 = next1
    w2 = next2
    call forward(x(n_train + 1:n, :), n - n_train, in_dim, w1, hid_dim, w2, out_dim, beta, hidden, y)
    call confusion_matrix(y, n - n_train, out_dim, t(n_train + 1:n, :), cm)
    accuracy = class_scores(cm, out_dim, recall, precision)
    if (not_implemented /= 0) then
      write(*, "(a)") "some procedures are not implemented yet"
      stop 1
    end if
    write(*, "(a, i0, a, f8.4)") "epoch ", start + every, ": training error ", errors(every)
    write(*, "(a)") "confusion matrix (rows: predicted class, columns: target class)"
    do p = 1, out_dim
      write(*, "(3x, *(i6))") cm(p, :)
    end do
    write(*, "(a, *(f7.2))") "recall   ", recall
    write(*, "(a, *(f7.2))") "precision", precision
    write(*, "(a, f6.3)") "accuracy  ", accuracy
  end do
end program main
