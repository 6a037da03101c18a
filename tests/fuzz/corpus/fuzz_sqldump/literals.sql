INSERT IGNORE INTO db.t (a,b,c,d,e,f,g) VALUES (_binary '\0',0x41,X'4142',b'01',0b1,_utf8mb4'😀',1.5e-3),(N'n',TRUE,.5,+1,'a' "b",x'',0x1) ON DUPLICATE KEY UPDATE a=1;
REPLACE u VALUE ();
