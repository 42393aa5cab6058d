! The header read with an explicit format through a character buffer and an internal read; the whole
! data read in one implied-do statement; a subroutine for the association; double precision with
! selected_real_kind; steps printed with a format (I0, F12.8, ES12.4); output written with formats.
module kmeans_mod
  implicit none
  integer, parameter :: dp = selected_real_kind(15, 300)
contains
  subroutine associate(x, c, lab, err)
    real(dp), intent(in) :: x(:,:), c(:,:)
    integer, intent(out) :: lab(:)
    real(dp), intent(out) :: err
    integer :: i, j
    real(dp) :: dd, dmin
    err = 0.0_dp
    do i = 1, size(x, 2)
      dmin = huge(1.0_dp)
      do j = 1, size(c, 2)
        dd = sum((x(:, i) - c(:, j))**2)
        if (dd <= dmin) then
          dmin = dd
          lab(i) = j
        end if
      end do
      err = err + dmin
    end do
    err = err / size(x, 2)
  end subroutine associate
end module kmeans_mod

program km
  use kmeans_mod
  implicit none
  integer, parameter :: k = 4
  character(len=256) :: head
  integer :: nd, np, i, j, l, ios
  real(dp), allocatable :: x(:,:), c(:,:), cn(:,:)
  integer, allocatable :: lab(:)
  integer :: cnt(k)
  real(dp) :: err, mov, u(k)

  open(unit=7, file='kmeans_input_file_2d.dat', status='old', action='read', iostat=ios)
  if (ios /= 0) stop 'cannot open the input file'
  read(7, '(A)') head
  read(head, *) nd, np
  allocate(x(nd, np), c(nd, k), cn(nd, k), lab(np))
  read(7, *) ((x(j, i), i = 1, np), j = 1, nd)
  close(7)
  print '(A,I0,A,I0,A)', 'read ', np, ' points in ', nd, ' dimensions'

  call random_seed()
  call random_number(u)
  do j = 1, k
    c(:, j) = x(:, min(np, 1 + floor(u(j) * np)))
  end do

  do l = 1, 100
    call associate(x, c, lab, err)
    cn = 0.0_dp
    cnt = 0
    do i = 1, np
      cn(:, lab(i)) = cn(:, lab(i)) + x(:, i)
      cnt(lab(i)) = cnt(lab(i)) + 1
    end do
    mov = 0.0_dp
    do j = 1, k
      if (cnt(j) == 0) cycle
      cn(:, j) = cn(:, j) / real(cnt(j), dp)
      mov = mov + sum((cn(:, j) - c(:, j))**2)
      c(:, j) = cn(:, j)
    end do
    write(*, '("Step : ", I0, ", error : ", F12.8, ", cent. move : ", ES12.4)') l, err, mov
    if (mov <= 1.0e-3_dp) exit
  end do

  open(unit=8, file='kmeans_output_2d.dat', status='replace', action='write')
  write(8, '(I0, 1X, I0)') nd, k
  do j = 1, k
    write(8, '(*(F14.8, :, 1X))') c(:, j)
  end do
  close(8)
end program km
