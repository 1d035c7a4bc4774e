-- {role} is filled in as a quoted identifier by `wiredesk db grant-reader`.
CREATE ROLE {role} {login};
